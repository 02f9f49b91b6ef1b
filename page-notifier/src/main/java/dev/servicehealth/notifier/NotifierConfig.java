package dev.servicehealth.notifier;

import dev.servicehealth.model.Topics;
import dev.servicehealth.runtime.JobArguments;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings of the notifier, parsed from {@code --key value} arguments like the jobs'; an unknown
 * key or a bad value fails at start and names the key.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param pagesTopic the pager's pages (read committed, from the beginning: it is compacted)
 * @param statusTopic deduplicated status events: the deploys, flag changes and incidents a page
 *     carries
 * @param alertmanagers every Alertmanager of the cluster: each gets every alert, as Prometheus
 *     sends them, and their gossip keeps one notification
 * @param resendInterval how often firing pages are posted again; Alertmanager ends an alert nobody
 *     re-sent after four of these
 * @param minFiring how long a page is firing at Alertmanager before its resolve is posted: longer
 *     than the route's {@code group_wait}, or a page that fired and resolved within it (read from a
 *     backlog) notifies nobody
 * @param changeLookback how long before a burn began a change is still shown with its page
 * @param grafanaUrl the Grafana the dashboard links point at
 * @param metricsPort the scrape port; negative for none
 * @param metricsBindAddress the scrape endpoint's address
 */
public record NotifierConfig(
        String bootstrapServers,
        String pagesTopic,
        String statusTopic,
        List<URI> alertmanagers,
        Duration resendInterval,
        Duration minFiring,
        Duration changeLookback,
        URI grafanaUrl,
        int metricsPort,
        String metricsBindAddress) {

    private static final Pattern DURATION =
            Pattern.compile("(\\d+)\\s*(ms|s|min|m|h)", Pattern.CASE_INSENSITIVE);

    private static final Map<String, String> OPTIONS = options();

    public NotifierConfig {
        alertmanagers = List.copyOf(alertmanagers);
        if (alertmanagers.isEmpty()) {
            throw new IllegalArgumentException("alertmanager-url: at least one is needed");
        }
        if (resendInterval.isNegative() || resendInterval.isZero()) {
            throw new IllegalArgumentException("resend-interval must be positive");
        }
        if (minFiring.isNegative()) {
            throw new IllegalArgumentException("min-firing must not be negative");
        }
        if (changeLookback.isNegative()) {
            throw new IllegalArgumentException("change-lookback must not be negative");
        }
    }

    private static Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("bootstrap-servers", "Kafka bootstrap servers, host:port[,host:port]");
        options.put("alertmanager-url", "Alertmanager base URL(s), comma-separated");
        options.put("topic.pages", "pages of the pager (default " + Topics.PAGES + ")");
        options.put(
                "topic.dedup.status",
                "deduplicated status events (default " + Topics.DEDUP_STATUS + ")");
        options.put("resend-interval", "how often firing pages are posted again (default 30 s)");
        options.put(
                "min-firing",
                "how long a page fires at Alertmanager before its resolve is sent (default 5 s)");
        options.put(
                "change-lookback",
                "how long before a burn began its changes are shown (default 1 h)");
        options.put(
                "grafana-url",
                "the Grafana of the dashboard links (default http://127.0.0.1:3000)");
        options.put("metrics-port", "Prometheus scrape port, -1 for none (default 9256)");
        options.put("metrics-bind-address", "address of the scrape endpoint (default 127.0.0.1)");
        return options;
    }

    public static NotifierConfig fromArgs(String... args) {
        Map<String, String> values = new HashMap<>(JobArguments.parse(args));
        for (String key : values.keySet()) {
            if (!OPTIONS.containsKey(key)) {
                throw new IllegalArgumentException("unknown configuration key '" + key + "'");
            }
        }
        String bootstrap = required(values, "bootstrap-servers");
        List<URI> alertmanagers = new ArrayList<>();
        for (String url : required(values, "alertmanager-url").split(",")) {
            alertmanagers.add(url(url.trim(), "alertmanager-url"));
        }
        return new NotifierConfig(
                bootstrap,
                values.getOrDefault("topic.pages", Topics.PAGES),
                values.getOrDefault("topic.dedup.status", Topics.DEDUP_STATUS),
                alertmanagers,
                duration(values, "resend-interval", Duration.ofSeconds(30)),
                duration(values, "min-firing", Duration.ofSeconds(5)),
                duration(values, "change-lookback", Duration.ofHours(1)),
                url(values.getOrDefault("grafana-url", "http://127.0.0.1:3000"), "grafana-url"),
                integer(values, "metrics-port", 9256),
                values.getOrDefault("metrics-bind-address", "127.0.0.1"));
    }

    public static String usage() {
        StringBuilder text = new StringBuilder("page-notifier options:\n");
        OPTIONS.forEach(
                (key, description) ->
                        text.append(String.format("  --%-22s %s%n", key, description)));
        return text.toString();
    }

    private static String required(Map<String, String> values, String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return value;
    }

    private static URI url(String text, String key) {
        try {
            URI url = URI.create(text);
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new IllegalArgumentException("not http(s)");
            }
            return url;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not an http(s) URL", e);
        }
    }

    /** {@code 30 s}, {@code 500ms}, {@code 1 min}, {@code 2h}: the jobs' duration spelling. */
    static Duration duration(Map<String, String> values, String key, Duration fallback) {
        String text = values.get(key);
        if (text == null) {
            return fallback;
        }
        Matcher matcher = DURATION.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    key + ": '" + text + "' is not a duration such as 30 s, 500 ms, 1 min, 2 h");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofMinutes(amount);
        };
    }

    private static int integer(Map<String, String> values, String key, int fallback) {
        String text = values.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not a number", e);
        }
    }
}

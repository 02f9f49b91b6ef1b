package dev.servicehealth.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.privacy.TenantKeyFile;
import dev.servicehealth.model.privacy.TenantTokenizer;
import dev.servicehealth.model.reference.ReferenceData;
import dev.servicehealth.model.reference.SloTarget;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The on-call CLI over the incident query catalog: {@code oncall tenant-drilldown --tenant ACME
 * --endpoint /services/data/v60/query --last 15m}. A clear tenant id is tokenized with the
 * configured key (the same HMAC the normalizer applies) and never sent to Pinot; every query that
 * names a tenant is audited first. Answers are printed as a table with availability and error rates
 * computed from the summed counters.
 */
public final class OnCallCli {
    static final String USAGE =
            """
            usage: oncall [--broker URL] [--tenant-key FILE] [--audit-log FILE] [--user NAME] \
            <query> [options]

            queries (the incident query catalog):
              regional-availability [--last 5m] [--baseline 1h]
              impacted-tenants      [--last 5m] [--baseline 1h] [--limit 20]
              error-trend           [--last 15m]
              tier-sla              [--tier PREMIUM] [--last 1h]
              tenant-drilldown      --tenant ID --endpoint PATH [--last 15m]   (alias: drilldown)
              rolling-ops-view      [--last 5m]
              status-changes        [--last 1h]          deploys, flags, incident tickets
              around-change         --service NAME --region REGION --at TIME [--span 10m]
                                    TIME: 2026-11-22T14:02:00Z or epoch milliseconds
              too-late-windows      [--last 1h]          windows missing too-late events
              dead-letters          [--last 1h]          bad input by reason and topic

            --broker      Pinot broker URL (default $SERVICE_HEALTH_PINOT_BROKER)
            --tenant-key  the tenant token key file (default $SERVICE_HEALTH_TENANT_KEY_FILE)
            --audit-log   where tenant queries are recorded (default oncall-audit.jsonl)
            --user        who asks (default $USER)
            Ranges end after the current minute, which shows its early value.""";

    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final PinotBroker broker;
    private final Path tenantKey;
    private final AuditLog audit;
    private final String user;
    private final Map<TenantTier, SloTarget> sloTargets;
    private final Clock clock;
    private final PrintStream out;

    public OnCallCli(
            URI broker,
            Path tenantKey,
            AuditLog audit,
            String user,
            Map<TenantTier, SloTarget> sloTargets,
            Clock clock,
            PrintStream out) {
        this.broker = new PinotBroker(broker, Duration.ofSeconds(10));
        this.tenantKey = tenantKey;
        this.audit = audit;
        this.user = user;
        this.sloTargets = sloTargets;
        this.clock = clock;
        this.out = out;
    }

    public static void main(String[] args) {
        Map<String, String> global = new HashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (rest.isEmpty()
                    && List.of("--broker", "--tenant-key", "--audit-log", "--user")
                            .contains(args[i])
                    && i + 1 < args.length) {
                global.put(args[i], args[++i]);
            } else {
                rest.add(args[i]);
            }
        }
        if (rest.isEmpty() || rest.contains("--help")) {
            System.out.println(USAGE);
            System.exit(rest.isEmpty() ? 2 : 0);
        }
        String brokerUrl =
                global.getOrDefault("--broker", System.getenv("SERVICE_HEALTH_PINOT_BROKER"));
        if (brokerUrl == null) {
            System.err.println("no Pinot broker: pass --broker URL\n\n" + USAGE);
            System.exit(2);
        }
        String key =
                global.getOrDefault(
                        "--tenant-key", System.getenv("SERVICE_HEALTH_TENANT_KEY_FILE"));
        OnCallCli cli =
                new OnCallCli(
                        URI.create(brokerUrl),
                        key == null ? null : Path.of(key),
                        new AuditLog(
                                Path.of(global.getOrDefault("--audit-log", "oncall-audit.jsonl"))),
                        global.getOrDefault("--user", System.getProperty("user.name")),
                        ReferenceData.bundled().sloTargets(),
                        Clock.systemUTC(),
                        System.out);
        try {
            cli.run(rest);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n\n" + USAGE);
            System.exit(2);
        } catch (IOException e) {
            System.err.println("query failed: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Runs one query: {@code args} is the query's name followed by its options.
     *
     * @throws IllegalArgumentException on an unknown query, option or value
     */
    public void run(List<String> args) throws IOException {
        IncidentQuery query = query(args.get(0));
        Map<String, String> options = options(args.subList(1, args.size()));
        long to = nextMinute();
        Map<String, Object> parameters = new LinkedHashMap<>();
        String tenantToken = null;
        switch (query) {
            case REGIONAL_AVAILABILITY, IMPACTED_TENANTS -> {
                long last = duration(options.remove("--last"), "5m");
                long baseline = duration(options.remove("--baseline"), "1h");
                parameters.put("recent_ms", last);
                parameters.put("to", to);
                parameters.put("baseline_from", to - last - baseline);
                if (query == IncidentQuery.IMPACTED_TENANTS) {
                    parameters.put("baseline_scale", (double) last / baseline);
                    parameters.put(
                            "limit", Integer.parseInt(options.getOrDefault("--limit", "20")));
                    options.remove("--limit");
                }
            }
            case TIER_SLA -> {
                parameters.put("from", to - duration(options.remove("--last"), "1h"));
                parameters.put("to", to);
                String tier = options.getOrDefault("--tier", "PREMIUM").toUpperCase(Locale.ROOT);
                options.remove("--tier");
                TenantTier.valueOf(tier);
                parameters.put("tier", tier);
            }
            case TENANT_DRILLDOWN -> {
                String tenant = required(options, "--tenant");
                parameters.put("endpoint", required(options, "--endpoint"));
                parameters.put("from", to - duration(options.remove("--last"), "15m"));
                parameters.put("to", to);
                tenantToken = tokenizer().token(tenant);
                parameters.put("tenant_token", tenantToken);
            }
            case AROUND_CHANGE -> {
                parameters.put("service", required(options, "--service"));
                parameters.put("region", required(options, "--region").toUpperCase(Locale.ROOT));
                long at = instant(required(options, "--at"));
                parameters.put("at", Math.floorDiv(at, 60_000L) * 60_000L);
                parameters.put("span_ms", duration(options.remove("--span"), "10m"));
            }
            default -> {
                parameters.put(
                        "from", to - duration(options.remove("--last"), defaultRange(query)));
                parameters.put("to", to);
            }
        }
        if (!options.isEmpty()) {
            throw new IllegalArgumentException(
                    "unknown options for " + query.commandName() + ": " + options.keySet());
        }
        if (tenantToken != null) {
            audit.record(user, query, tenantToken, parameters);
        }
        QueryResult result = broker.query(query.sql(parameters));
        out.println("# " + query.question());
        out.println(
                "# "
                        + MINUTE.format(Instant.ofEpochMilli(rangeStart(parameters)))
                        + " to "
                        + MINUTE.format(Instant.ofEpochMilli(rangeEnd(parameters, to)))
                        + " UTC, "
                        + result.rows().size()
                        + " rows in "
                        + result.timeUsedMs()
                        + " ms");
        ResultTable.of(result).print(out);
        if (query == IncidentQuery.ERROR_TREND) {
            out.println(Trend.of(result).describe());
        }
        if (query == IncidentQuery.TIER_SLA) {
            printSla(result, sloTargets.get(TenantTier.valueOf((String) parameters.get("tier"))));
        }
    }

    private static long rangeEnd(Map<String, Object> parameters, long to) {
        return parameters.containsKey("at")
                ? (Long) parameters.get("at") + (Long) parameters.get("span_ms")
                : to;
    }

    /** Where the range the query reads starts: its baseline if it has one. */
    private static long rangeStart(Map<String, Object> parameters) {
        if (parameters.containsKey("at")) {
            return (Long) parameters.get("at") - (Long) parameters.get("span_ms");
        }
        Object start = parameters.getOrDefault("baseline_from", parameters.get("from"));
        return (Long) start;
    }

    private void printSla(QueryResult result, SloTarget target) {
        for (int i = 0; i < result.rows().size(); i++) {
            double requests = result.value(i, "requests").asDouble();
            if (requests == 0) {
                continue;
            }
            double availability = 100 * result.value(i, "successes").asDouble() / requests;
            JsonNode p95 = result.value(i, "latency_p95");
            List<String> breaches = new ArrayList<>();
            if (availability < target.availabilityPct()) {
                breaches.add(
                        String.format(
                                Locale.ROOT,
                                "availability %.3f%% < %.2f%%",
                                availability,
                                target.availabilityPct()));
            }
            if (p95.isNumber() && p95.asDouble() > target.latencyP95Ms()) {
                breaches.add(
                        String.format(
                                Locale.ROOT,
                                "P95 %.0f ms > %.0f ms",
                                p95.asDouble(),
                                target.latencyP95Ms()));
            }
            out.println(
                    result.value(i, "region").asText()
                            + ": "
                            + (breaches.isEmpty()
                                    ? "within the " + target.tier() + " SLO"
                                    : "SLO VIOLATED: " + String.join(", ", breaches)));
        }
    }

    private TenantTokenizer tokenizer() throws IOException {
        if (tenantKey == null) {
            throw new IllegalArgumentException(
                    "a tenant query needs the tenant key: --tenant-key FILE");
        }
        return TenantKeyFile.read(tenantKey);
    }

    /** The end of the current minute: ranges include the open minute's early value. */
    private long nextMinute() {
        long now = clock.millis();
        return Math.floorDiv(now, 60_000L) * 60_000L + 60_000L;
    }

    private static String defaultRange(IncidentQuery query) {
        return switch (query) {
            case ERROR_TREND -> "15m";
            case STATUS_CHANGES, TOO_LATE_WINDOWS, DEAD_LETTERS -> "1h";
            default -> "5m";
        };
    }

    private static long instant(String text) {
        try {
            return text.chars().allMatch(Character::isDigit)
                    ? Long.parseLong(text)
                    : Instant.parse(text).toEpochMilli();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a time: " + text);
        }
    }

    private static IncidentQuery query(String name) {
        String normalized = name.equals("drilldown") ? "tenant-drilldown" : name;
        for (IncidentQuery query : IncidentQuery.values()) {
            if (query.commandName().equals(normalized)) {
                return query;
            }
        }
        throw new IllegalArgumentException("unknown query " + name);
    }

    private static Map<String, String> options(List<String> args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            if (!args.get(i).startsWith("--") || i + 1 >= args.size()) {
                throw new IllegalArgumentException("expected --option value at " + args.get(i));
            }
            options.put(args.get(i), args.get(i + 1));
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.remove(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }

    /** {@code 15m}, {@code 1h}, {@code 90s} in milliseconds, whole minutes only. */
    static long duration(String value, String fallback) {
        String text = value == null ? fallback : value;
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        long millis =
                switch (text.charAt(text.length() - 1)) {
                    case 's' -> amount * 1_000;
                    case 'm' -> amount * 60_000;
                    case 'h' -> amount * 3_600_000;
                    case 'd' -> amount * 86_400_000;
                    default -> throw new IllegalArgumentException("not a duration: " + text);
                };
        if (millis <= 0 || millis % 60_000 != 0) {
            throw new IllegalArgumentException(text + ": ranges are whole minutes");
        }
        return millis;
    }
}

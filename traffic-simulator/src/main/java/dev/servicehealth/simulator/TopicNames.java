package dev.servicehealth.simulator;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The actual topic name of each raw topic. Defaults to {@link RawTopic#defaultName()}; tests map
 * them to unique names so that runs sharing a broker never see each other's records.
 */
public record TopicNames(String gateway, String auth, String metrics, String status) {

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public TopicNames {
        check("gateway", gateway);
        check("auth", auth);
        check("metrics", metrics);
        check("status", status);
        if (new HashSet<>(List.of(gateway, auth, metrics, status)).size() != 4) {
            throw new IllegalArgumentException(
                    "topics: names must be distinct, got "
                            + List.of(gateway, auth, metrics, status));
        }
    }

    public static TopicNames defaults() {
        return new TopicNames(
                RawTopic.GATEWAY.defaultName(),
                RawTopic.AUTH.defaultName(),
                RawTopic.METRICS.defaultName(),
                RawTopic.STATUS.defaultName());
    }

    /** The default names behind {@code prefix}, e.g. {@code it-42.raw.gateway}. */
    public static TopicNames withPrefix(String prefix) {
        TopicNames d = defaults();
        return new TopicNames(
                prefix + d.gateway, prefix + d.auth, prefix + d.metrics, prefix + d.status);
    }

    public String name(RawTopic topic) {
        return switch (topic) {
            case GATEWAY -> gateway;
            case AUTH -> auth;
            case METRICS -> metrics;
            case STATUS -> status;
        };
    }

    /** Topic name to raw topic kind. */
    public Map<String, RawTopic> byName() {
        Map<String, RawTopic> byName = new LinkedHashMap<>();
        for (RawTopic topic : RawTopic.values()) {
            byName.put(name(topic), topic);
        }
        return byName;
    }

    private static void check(String which, String name) {
        Objects.requireNonNull(name, which + " topic");
        if (!LEGAL.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "topics." + which + ": '" + name + "' is not a legal Kafka topic name");
        }
    }
}

package dev.servicehealth.simulator;

import dev.servicehealth.model.reference.EndpointInfo;

/**
 * A catalog endpoint with its simulated behaviour: a log-normal latency around its own median, a
 * typical response size, and concrete paths with ids in place of the template's placeholders.
 */
final class EndpointProfile {
    private static final String BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String[] OBJECTS = {"Account", "Contact", "Opportunity", "Case", "Lead"};
    private static final String[] OBJECT_KEY_PREFIXES = {"001", "003", "006", "500", "00Q"};
    private static final String[] SOQL = {
        "?q=SELECT+Id+FROM+Account+LIMIT+10",
        "?q=SELECT+Id,Name+FROM+Contact+WHERE+AccountId='0013000000AbCdE'",
        "?q=SELECT+COUNT()+FROM+Case"
    };
    private static final String[] QUERIES = {"?fields=Id,Name", "?limit=50&offset=100", "?_=1"};

    private final EndpointInfo info;
    private final String[] segments;
    private final double latencyMedianMs;
    private final double latencySigma;
    private final double bytesMedian;

    EndpointProfile(EndpointInfo info, Dice dice) {
        this.info = info;
        this.segments = info.template().split("/", -1);
        double u = dice.uniform();
        this.latencyMedianMs = 20 + 180 * u * u;
        this.latencySigma = 0.4 + 0.4 * dice.uniform();
        double v = dice.uniform();
        this.bytesMedian = 500 + 20_000 * v * v;
    }

    EndpointInfo info() {
        return info;
    }

    String template() {
        return info.template();
    }

    double latencyMedianMs() {
        return latencyMedianMs;
    }

    double latencySigma() {
        return latencySigma;
    }

    double bytesMedian() {
        return bytesMedian;
    }

    /**
     * A path as a client calls it: placeholders filled with ids, sometimes with a query string or a
     * trailing slash, both of which the catalog resolution ignores.
     */
    String concretePath(Dice dice) {
        StringBuilder path = new StringBuilder(64);
        int object = dice.index(OBJECTS.length);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                path.append('/');
            }
            String segment = segments[i];
            if (segment.equals("{object}")) {
                path.append(OBJECTS[object]);
            } else if (segment.startsWith("{")) {
                path.append(recordId(keyPrefix(i, object), dice));
            } else {
                path.append(segment);
            }
        }
        if (path.toString().endsWith("/query")) {
            path.append(SOQL[dice.index(SOQL.length)]);
        } else if (dice.chance(0.1)) {
            path.append(QUERIES[dice.index(QUERIES.length)]);
        } else if (dice.chance(0.01)) {
            path.append('/');
        }
        return path.toString();
    }

    /** Salesforce ids start with a key prefix naming the object type. */
    private String keyPrefix(int segment, int object) {
        String previous = segment > 0 ? segments[segment - 1] : "";
        if (previous.equals("{object}")) {
            return OBJECT_KEY_PREFIXES[object];
        }
        if (previous.startsWith("case")) {
            return "500";
        }
        if (previous.startsWith("opportunit")) {
            return "006";
        }
        return "a0B";
    }

    /** A 15-character id: key prefix, pod/instance digits, and a base62 counter. */
    private static String recordId(String prefix, Dice dice) {
        StringBuilder id = new StringBuilder(15).append(prefix).append("3000000");
        for (int i = 0; i < 5; i++) {
            id.append(BASE62.charAt(dice.index(BASE62.length())));
        }
        return id.toString();
    }
}

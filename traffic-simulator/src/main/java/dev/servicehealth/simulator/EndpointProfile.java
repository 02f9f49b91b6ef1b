package dev.servicehealth.simulator;

import dev.servicehealth.model.reference.EndpointInfo;
import java.util.Set;
import java.util.TreeSet;

/**
 * A catalog endpoint with its simulated behaviour: a log-normal latency around its own median, a
 * typical response size, and concrete paths with ids in place of the template's placeholders and an
 * API version in place of {@code {version}}, as clients write it; each path comes with the endpoint
 * the pipeline must count it under (the version in one spelling).
 */
final class EndpointProfile {
    private static final String VERSION = "{version}";

    /** The data API's versions as clients write them, the most called first. */
    private static final String[] DATA_API_VERSIONS = {"v60.0", "v59.0", "v60", "v61.0"};

    /** Each one's spelling in the endpoint dimension: the same API version, one way. */
    private static final String[] DATA_API_ENDPOINT_VERSIONS = {"v60", "v59", "v60", "v61"};

    private static final double[] DATA_API_VERSION_SHARES = {0.5, 0.25, 0.15, 0.1};
    private static final String[] OTHER_API_VERSIONS = {"v1"};
    private static final double[] OTHER_API_VERSION_SHARES = {1};

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
    private final String[] versions;
    private final double[] versionShares;

    /** The endpoint of each version, or the template's own when it has no version. */
    private final EndpointInfo[] endpoints;

    private final double latencyMedianMs;
    private final double latencySigma;
    private final double bytesMedian;

    EndpointProfile(EndpointInfo info, Dice dice) {
        this.info = info;
        this.segments = info.template().split("/", -1);
        boolean dataApi = info.template().startsWith("/services/data/");
        boolean versioned = info.template().contains(VERSION);
        this.versions =
                !versioned ? new String[] {""} : dataApi ? DATA_API_VERSIONS : OTHER_API_VERSIONS;
        this.versionShares =
                !versioned
                        ? new double[] {1}
                        : dataApi ? DATA_API_VERSION_SHARES : OTHER_API_VERSION_SHARES;
        this.endpoints = new EndpointInfo[versions.length];
        for (int v = 0; v < versions.length; v++) {
            String spelling = dataApi ? DATA_API_ENDPOINT_VERSIONS[v] : versions[v];
            endpoints[v] =
                    new EndpointInfo(
                            info.template().replace(VERSION, spelling),
                            info.product(),
                            info.service());
        }
        double u = dice.uniform();
        // a healthy fleet: the slowest endpoint (120 ms median, σ 0.5) answers 96.6 % within the
        // premium tier's 300 ms P95 target, so that only a scenario's incident burns it
        this.latencyMedianMs = 20 + 100 * u * u;
        this.latencySigma = 0.3 + 0.2 * dice.uniform();
        double v = dice.uniform();
        this.bytesMedian = 500 + 20_000 * v * v;
    }

    EndpointInfo info() {
        return info;
    }

    String template() {
        return info.template();
    }

    /** The endpoint values the pipeline counts this profile's requests under, one per version. */
    Set<String> endpoints() {
        Set<String> values = new TreeSet<>();
        for (EndpointInfo endpoint : endpoints) {
            values.add(endpoint.template());
        }
        return values;
    }

    /** The endpoint of the version clients call most, as a deploy event names it. */
    String primaryEndpoint() {
        return endpoints[0].template();
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

    /** A path as a client calls it, and the endpoint it is counted under. */
    record ConcretePath(String path, EndpointInfo endpoint) {}

    /**
     * A path as a client calls it: placeholders filled with ids and a version, sometimes with a
     * query string or a trailing slash, both of which the catalog resolution ignores.
     */
    ConcretePath concretePath(Dice dice) {
        StringBuilder path = new StringBuilder(64);
        int object = dice.index(OBJECTS.length);
        int version = pickVersion(dice);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                path.append('/');
            }
            String segment = segments[i];
            if (segment.equals(VERSION)) {
                path.append(versions[version]);
            } else if (segment.equals("{object}")) {
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
        return new ConcretePath(path.toString(), endpoints[version]);
    }

    private int pickVersion(Dice dice) {
        if (versions.length == 1) {
            return 0;
        }
        double u = dice.uniform();
        for (int v = 0; v < versions.length - 1; v++) {
            u -= versionShares[v];
            if (u < 0) {
                return v;
            }
        }
        return versions.length - 1;
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

package dev.servicehealth.model.reference;

import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Endpoint to product and service. Raw paths carry ids ({@code /cases/5003000000D8cuI}) and API
 * versions that change every release; they are resolved to the catalog's template so the endpoint
 * dimension keeps a bounded cardinality. A template segment {@code {name}} matches any one segment
 * ({@code /cases/{id}} is the endpoint of every case); {@code {version}} matches an API version and
 * keeps it in the endpoint in one spelling ({@code /services/data/v59.0/query} resolves to {@code
 * /services/data/v59/query}), so that "is only v59 broken?" has an answer; {@code {version:folded}}
 * matches one too and folds every version into {@code {version}}. Exact paths resolve with one hash
 * lookup; templates by segment-wise match.
 */
public final class ServiceCatalog implements Serializable {
    private static final long serialVersionUID = 1L;

    static final String VERSION = "{version}";
    static final String FOLDED_VERSION = "{version:folded}";

    private final Map<String, EndpointInfo> exact = new HashMap<>();
    private final Map<Integer, List<Template>> templatesBySegmentCount = new HashMap<>();
    private final Map<String, EndpointInfo> byTemplate = new HashMap<>();

    public ServiceCatalog(List<EndpointInfo> entries) {
        for (EndpointInfo entry : entries) {
            byTemplate.put(entry.template(), entry);
            if (entry.template().contains("{")) {
                String[] segments = entry.template().split("/", -1);
                EndpointInfo info =
                        new EndpointInfo(
                                entry.template().replace(FOLDED_VERSION, VERSION),
                                entry.product(),
                                entry.service());
                templatesBySegmentCount
                        .computeIfAbsent(segments.length, n -> new ArrayList<>())
                        .add(new Template(segments, info, keptVersion(segments)));
            } else {
                exact.put(entry.template(), entry);
            }
        }
    }

    static ServiceCatalog read(String name, InputStream in) {
        CsvTable table = CsvTable.read(name, in);
        List<EndpointInfo> entries = new ArrayList<>();
        for (Map<String, String> row : table.rows()) {
            entries.add(
                    new EndpointInfo(
                            table.require(row, "endpoint"),
                            table.require(row, "product"),
                            table.require(row, "service")));
        }
        return new ServiceCatalog(entries);
    }

    /**
     * Resolves a raw request path (query string and trailing slash ignored) to its catalog entry.
     */
    public Optional<EndpointInfo> resolve(String rawPath) {
        String path = EndpointPaths.pathOnly(rawPath);
        EndpointInfo hit = exact.get(path);
        if (hit != null) {
            return Optional.of(hit);
        }
        // no split: this runs for every event, and most paths carry ids
        int segmentCount = 1;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                segmentCount++;
            }
        }
        for (Template template : templatesBySegmentCount.getOrDefault(segmentCount, List.of())) {
            if (matches(template.segments(), path)) {
                return Optional.of(template.endpointOf(path));
            }
        }
        return Optional.empty();
    }

    /** Where the template keeps the version of the path in its endpoint: the segment, or -1. */
    private static int keptVersion(String[] segments) {
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].equals(VERSION)) {
                return i;
            }
        }
        return -1;
    }

    public List<EndpointInfo> entries() {
        return List.copyOf(byTemplate.values());
    }

    /**
     * A template and the endpoint it resolves to; with a kept version, one endpoint per version
     * seen, made once (a handful per template: the versions clients call).
     */
    private static final class Template implements Serializable {
        private static final long serialVersionUID = 1L;
        private static final int MAX_VERSIONS = 64;

        private final String[] segments;
        private final EndpointInfo info;
        private final int versionSegment;
        private final Map<String, EndpointInfo> byVersion = new ConcurrentHashMap<>();

        Template(String[] segments, EndpointInfo info, int versionSegment) {
            this.segments = segments;
            this.info = info;
            this.versionSegment = versionSegment;
        }

        String[] segments() {
            return segments;
        }

        EndpointInfo endpointOf(String path) {
            if (versionSegment < 0) {
                return info;
            }
            int start = 0;
            for (int i = 0; i < versionSegment; i++) {
                start = path.indexOf('/', start) + 1;
            }
            int end = path.indexOf('/', start);
            String version =
                    EndpointPaths.canonicalVersion(path, start, end < 0 ? path.length() : end);
            EndpointInfo known = byVersion.get(version);
            if (known != null) {
                return known;
            }
            EndpointInfo resolved =
                    new EndpointInfo(
                            info.template().replace(VERSION, version),
                            info.product(),
                            info.service());
            if (byVersion.size() < MAX_VERSIONS) {
                byVersion.put(version, resolved);
            }
            return resolved;
        }
    }

    /** Segment-wise match of a path with as many segments as the template. */
    private static boolean matches(String[] template, String path) {
        int start = 0;
        for (String segment : template) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            int length = end - start;
            boolean wildcard = segment.startsWith("{") && segment.endsWith("}");
            boolean version = segment.equals(VERSION) || segment.equals(FOLDED_VERSION);
            if (version
                    ? !EndpointPaths.isVersion(path, start, end)
                    : wildcard
                            ? length == 0
                            : length != segment.length()
                                    || !path.regionMatches(start, segment, 0, length)) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }
}

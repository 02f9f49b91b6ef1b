package dev.servicehealth.model.reference;

import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Endpoint to product and service. Raw paths carry ids ({@code /cases/5003000000D8cuI}); they are
 * resolved to the catalog's template ({@code /cases/{id}}) so the endpoint dimension keeps a
 * bounded cardinality. Exact paths resolve with one hash lookup; templates by segment-wise match.
 */
public final class ServiceCatalog implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, EndpointInfo> exact = new HashMap<>();
    private final Map<Integer, List<Template>> templatesBySegmentCount = new HashMap<>();
    private final Map<String, EndpointInfo> byTemplate = new HashMap<>();

    public ServiceCatalog(List<EndpointInfo> entries) {
        for (EndpointInfo entry : entries) {
            byTemplate.put(entry.template(), entry);
            if (entry.template().contains("{")) {
                String[] segments = entry.template().split("/", -1);
                templatesBySegmentCount
                        .computeIfAbsent(segments.length, n -> new ArrayList<>())
                        .add(new Template(segments, entry));
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
        String path = stripQueryAndSlash(rawPath);
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
                return Optional.of(template.info());
            }
        }
        return Optional.empty();
    }

    public List<EndpointInfo> entries() {
        return List.copyOf(byTemplate.values());
    }

    private record Template(String[] segments, EndpointInfo info) implements Serializable {}

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
            if (wildcard
                    ? length == 0
                    : length != segment.length()
                            || !path.regionMatches(start, segment, 0, length)) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    private static String stripQueryAndSlash(String rawPath) {
        int query = rawPath.indexOf('?');
        String path = query >= 0 ? rawPath.substring(0, query) : rawPath;
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }
}

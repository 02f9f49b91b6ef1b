package dev.servicehealth.model.reference;

import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * Paths that matched a template whose only placeholder is a kept version, so that the next
     * event with the same path resolves with one hash lookup, as a literal path does: a handful of
     * versions per such template, bounded all the same.
     */
    private final Map<String, EndpointInfo> versionedPaths = new ConcurrentHashMap<>();

    private static final int MAX_VERSIONED_PATHS = 4_096;

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
        EndpointInfo endpoint = endpointOf(rawPath);
        return endpoint.catalogued() ? Optional.of(endpoint) : Optional.empty();
    }

    /**
     * The endpoint a raw request path is counted under, the same for the normalizer and the on-call
     * CLI: its catalog entry, or else its derived endpoint ({@link EndpointPaths#derive}), product
     * and service unmapped.
     */
    public EndpointInfo endpointOf(String rawPath) {
        Optional<EndpointInfo> written = resolveAsWritten(EndpointPaths.pathOnly(rawPath));
        if (written.isPresent()) {
            return written.get();
        }
        // spelled otherwise (upper case, "//"): the derived path, which a template may match, so
        // that one endpoint value never belongs to both a service and "unmapped"
        String derived = EndpointPaths.derive(rawPath);
        return resolveAsWritten(derived).orElseGet(() -> EndpointInfo.unmapped(derived));
    }

    private Optional<EndpointInfo> resolveAsWritten(String path) {
        EndpointInfo hit = exact.get(path);
        if (hit == null) {
            hit = versionedPaths.get(path);
        }
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
                EndpointInfo endpoint = template.endpointOf(path);
                if (template.versionIsItsOnlyPlaceholder()
                        && versionedPaths.size() < MAX_VERSIONED_PATHS) {
                    versionedPaths.put(path, endpoint);
                }
                return Optional.of(endpoint);
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
     * seen, made once and found again by the version as the path spells it, without allocating (a
     * handful per template: the versions clients call).
     */
    private static final class Template implements Serializable {
        private static final long serialVersionUID = 1L;
        private static final int MAX_VERSIONS = 64;

        /** A version as a path spells it and the endpoint of that version. */
        private record Spelling(String segment, EndpointInfo endpoint) implements Serializable {}

        private final String[] segments;
        private final EndpointInfo info;
        private final int versionSegment;
        private final boolean versionOnly;
        // copied on write: read on every event, written once per new spelling
        private volatile Spelling[] spellings = new Spelling[0];

        Template(String[] segments, EndpointInfo info, int versionSegment) {
            this.segments = segments;
            this.info = info;
            this.versionSegment = versionSegment;
            boolean onlyTheVersion = versionSegment >= 0;
            for (int i = 0; i < segments.length; i++) {
                if (i != versionSegment && segments[i].startsWith("{")) {
                    onlyTheVersion = false;
                }
            }
            this.versionOnly = onlyTheVersion;
        }

        String[] segments() {
            return segments;
        }

        /** Whether a path it matches is one of a few: the version is all that varies. */
        boolean versionIsItsOnlyPlaceholder() {
            return versionOnly;
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
            if (end < 0) {
                end = path.length();
            }
            Spelling[] known = spellings;
            for (Spelling spelling : known) {
                if (spelling.segment().length() == end - start
                        && path.regionMatches(start, spelling.segment(), 0, end - start)) {
                    return spelling.endpoint();
                }
            }
            return remember(path, start, end);
        }

        /** The endpoint of a spelling not seen yet, kept for the next event that spells it so. */
        private synchronized EndpointInfo remember(String path, int start, int end) {
            String template =
                    info.template()
                            .replace(VERSION, EndpointPaths.canonicalVersion(path, start, end));
            EndpointInfo endpoint = new EndpointInfo(template, info.product(), info.service());
            for (Spelling spelling : spellings) {
                if (spelling.endpoint().template().equals(template)) {
                    // another spelling of the same version: the same endpoint
                    endpoint = spelling.endpoint();
                }
            }
            if (spellings.length < MAX_VERSIONS) {
                Spelling[] more = Arrays.copyOf(spellings, spellings.length + 1);
                more[more.length - 1] = new Spelling(path.substring(start, end), endpoint);
                spellings = more;
            }
            return endpoint;
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

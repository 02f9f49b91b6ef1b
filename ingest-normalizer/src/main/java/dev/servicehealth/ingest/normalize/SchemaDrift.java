package dev.servicehealth.ingest.normalize;

/**
 * One line of the schema-drift report: how often one source and producer sent one change since the
 * last report, and when the normalizer first and last saw it in that time (ingest time).
 *
 * @param source the source kind's tag ({@code gateway}, {@code auth}, {@code status})
 * @param producer who sent the lines: the user agent of request lines, the origin of status lines
 * @param kind the {@link dev.servicehealth.ingest.parse.DriftKind} tag
 * @param name what changed: a field name, {@code alias → canonical}, {@code field: string for int},
 *     or the derived endpoint of a path outside the catalog
 */
public record SchemaDrift(
        String source,
        String producer,
        String kind,
        String name,
        long count,
        long firstSeenMs,
        long lastSeenMs,
        long reportedAtMs) {

    /** The Kafka key: one change of one producer, so a topic partition holds all its reports. */
    public String key() {
        return source + "|" + producer + "|" + kind + "|" + name;
    }
}

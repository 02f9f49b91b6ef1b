package dev.servicehealth.backfill;

import dev.servicehealth.aggregator.HealthAggregatorTopology;
import dev.servicehealth.aggregator.kpi.KpiPartial;
import dev.servicehealth.aggregator.kpi.KpiRow;
import dev.servicehealth.aggregator.window.WindowSettings;
import dev.servicehealth.dedup.DedupTopology;
import dev.servicehealth.dedup.NormalizedEvent;
import dev.servicehealth.ingest.IngestNormalizerTopology;
import dev.servicehealth.ingest.normalize.NormalizedRecord;
import dev.servicehealth.ingest.normalize.NormalizerSettings;
import dev.servicehealth.ingest.normalize.RawRecord;
import dev.servicehealth.ingest.normalize.SourceKind;
import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.MetricSample;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.KpiVersion;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The backfill as a function from raw records to the final KPI rows of a range: the streaming jobs'
 * own normalizer, dedup and aggregator topologies, chained in one batch job, with nothing of them
 * written again here.
 *
 * <pre>
 *  bronze raw records ─► normalize ─► first copy wins (requests) ─► the range's ─► KPI windows ─► final rows
 *                                 └─► first copy wins (samples) ──► events ──────► saturation ─┘ (generation g,
 *                                                                                                 backfilled version)
 * </pre>
 *
 * <p>What differs from the stream is only what a replay must differ in. Each record's ingest time
 * is its Kafka timestamp, not the replay's wall clock ({@link
 * NormalizerSettings.IngestClock#RECORD_TIMESTAMP}). The events reach the aggregator with their own
 * event time as their clock, so none is too late (a copy the dedup held as too late by the replay's
 * clock would otherwise carry that clock on): events the stream counted as beyond the lateness
 * bound count now (repairing them is part of a backfill's purpose); {@code
 * backfill.events.beyond.lateness} counts them by the clock the replay's normalizer gave them
 * ({@link RangeEvents}). Every window is final at the end of the input, and its row carries {@link
 * KpiVersion#backfilled} of the generation.
 */
public final class BackfillTopology {
    private static final String LANE = "backfill";

    private BackfillTopology() {}

    /** The final rows, and contributions the aggregator still found too late (none, by design). */
    public record Streams(DataStream<KpiRow> rows, DataStream<KpiPartial> tooLate) {}

    /**
     * What the backfill runs with.
     *
     * @param grains the grains to recompute
     * @param flushInterval how long the pre-aggregators bundle events
     * @param maxBundleRows rows a bundle holds before it is sent anyway
     */
    public record Settings(
            BackfillRange range,
            Map<String, SourceKind> sourceByTopic,
            NormalizerSettings normalizer,
            DedupTopology.DedupSettings dedup,
            WindowSettings window,
            Set<Grain> grains,
            Duration flushInterval,
            int maxBundleRows)
            implements Serializable {
        public Settings {
            if (normalizer.ingestClock() != NormalizerSettings.IngestClock.RECORD_TIMESTAMP) {
                throw new IllegalArgumentException(
                        "a replay takes each record's ingest time from its Kafka timestamp");
            }
        }

        int metricsPort() {
            return window.metricsPort();
        }

        String metricsBindAddress() {
            return window.metricsBindAddress();
        }
    }

    public static Streams build(DataStream<RawRecord> raw, Settings settings) {
        IngestNormalizerTopology.Streams normalized =
                IngestNormalizerTopology.build(
                        raw, settings.sourceByTopic(), settings.normalizer(), LANE);
        DataStream<RequestEvent> requests =
                rangeEvents(
                        normalized.events(),
                        EventKind.REQUEST,
                        settings,
                        EventCodec::decodeRequest,
                        RequestEvent.class);
        DataStream<MetricSample> samples =
                rangeEvents(
                        normalized.events(),
                        EventKind.METRIC_SAMPLE,
                        settings,
                        EventCodec::decodeMetric,
                        MetricSample.class);

        HealthAggregatorTopology.Streams kpis =
                HealthAggregatorTopology.build(
                        requests,
                        samples,
                        settings.window(),
                        settings.flushInterval(),
                        settings.maxBundleRows());
        int generation = settings.window().generation();
        Set<Grain> grains = Set.copyOf(settings.grains());
        DataStream<KpiRow> rows =
                kpis.history()
                        .filter(row -> grains.contains(row.key().grain()))
                        .name("chosen-grains")
                        .map(row -> backfilled(row, generation), TypeInformation.of(KpiRow.class))
                        .name("backfilled-version");
        return new Streams(rows, kpis.tooLate());
    }

    /**
     * The first copies of one kind whose windows the range holds, decoded, each with its event time
     * as its clock.
     */
    private static <E> DataStream<E> rangeEvents(
            DataStream<NormalizedRecord> events,
            EventKind kind,
            Settings settings,
            RangeEvents.Decoder<E> decoder,
            Class<E> type) {
        return firstCopies(events, kind, settings)
                .assignTimestampsAndWatermarks(
                        WatermarkStrategy.<NormalizedEvent>noWatermarks()
                                .withTimestampAssigner((e, t) -> e.eventTimeMs()))
                .name("in-time-" + kind.tag())
                .flatMap(
                        new RangeEvents<>(
                                settings.range(),
                                settings.window().allowedLateness().toMillis(),
                                settings.metricsPort(),
                                settings.metricsBindAddress(),
                                decoder),
                        TypeInformation.of(type))
                .name("range-" + kind.tag());
    }

    private static DataStream<NormalizedEvent> firstCopies(
            DataStream<NormalizedRecord> events, EventKind kind, Settings settings) {
        String lane = kind.tag();
        DataStream<NormalizedEvent> ofKind =
                events.filter(e -> e.kind() == kind)
                        .name("normalized-" + lane)
                        .map(
                                e ->
                                        NormalizedEvent.of(
                                                e.kind(),
                                                e.key(),
                                                e.value(),
                                                e.eventTimeMs(),
                                                e.clockMs()),
                                TypeInformation.of(NormalizedEvent.class))
                        .name("identity-" + lane);
        return DedupTopology.build(ofKind, settings.dedup(), lane);
    }

    /** The row in the backfill's generation, above every streaming version of it. */
    static KpiRow backfilled(KpiRow row, int generation) {
        return new KpiRow(
                row.key(),
                KpiVersion.backfilled(generation),
                generation,
                row.firing(),
                row.counters(),
                row.sketches(),
                row.percentiles(),
                row.gauges(),
                row.events(),
                row.newestEventTimeMs(),
                row.emittedAtMs());
    }
}

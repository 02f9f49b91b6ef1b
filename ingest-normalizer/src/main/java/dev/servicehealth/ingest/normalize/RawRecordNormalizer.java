package dev.servicehealth.ingest.normalize;

import dev.servicehealth.ingest.parse.RejectedRecord;
import dev.servicehealth.ingest.reference.ReferenceFeed;
import dev.servicehealth.ingest.reference.ReferenceUpdate;
import dev.servicehealth.model.DeadLetter;
import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.MetricSample;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.StatusEvent;
import dev.servicehealth.runtime.PipelineMeterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Normalizes raw records of all four sources into canonical events in their wire format.
 *
 * <p>Guarantees: every raw record ends in at least one normalized event or exactly one dead letter
 * (a remote-write request with some unusable series gives both); nothing is dropped and no input
 * fails the job, including unexpected errors in this code ({@code normalizer_error}). The clear
 * tenant id never leaves this function. Order and exactly-once come from the Kafka source offsets
 * and the transactional sink.
 *
 * <p>Reference data: the seeds, overridden by the updates on the reference topic, read by a {@link
 * ReferenceFeed} of this subtask (completely at start, then as they come); an update applies to
 * records processed after it arrived (no ordering with the raw records).
 */
public final class RawRecordNormalizer extends ProcessFunction<RawRecord, NormalizedRecord>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RawRecordNormalizer.class);

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    /** The schema-drift report: a few lines per interval, see {@link SchemaDriftTracker}. */
    public static final OutputTag<SchemaDrift> SCHEMA_DRIFT =
            new OutputTag<>("schema-drift", TypeInformation.of(SchemaDrift.class));

    private final Map<String, SourceKind> sourceByTopic;
    private final NormalizerSettings settings;

    private transient NormalizerMetrics metrics;
    private transient RequestLineNormalizer requests;
    private transient StatusLineNormalizer statuses;
    private transient MetricRequestNormalizer metricRequests;
    private transient DeadLetterLog deadLetterLog;
    private transient ReferenceFeed reference;
    private transient SchemaDriftTracker drift;
    private transient ListState<SchemaDrift> unreportedDrift;
    private transient ListState<RawPartitionClocks.PartitionClock> checkpointedClocks;
    private transient List<RawPartitionClocks.PartitionClock> restoredClocks;
    private transient RawPartitionClocks clocks;

    /** The clock of the raw record being normalized, for every event it becomes. */
    private transient long recordClockMs;

    public RawRecordNormalizer(Map<String, SourceKind> sourceByTopic, NormalizerSettings settings) {
        this.sourceByTopic = Map.copyOf(sourceByTopic);
        this.settings = settings;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        drift = newDriftTracker();
        unreportedDrift =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "schema-drift-unreported", SchemaDrift.class));
        for (SchemaDrift line : unreportedDrift.get()) {
            drift.restore(line);
        }
        checkpointedClocks =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        "raw-partition-clocks",
                                        RawPartitionClocks.PartitionClock.class));
        restoredClocks = new ArrayList<>();
        for (RawPartitionClocks.PartitionClock clock : checkpointedClocks.get()) {
            restoredClocks.add(clock);
        }
    }

    private SchemaDriftTracker newDriftTracker() {
        return new SchemaDriftTracker(settings.driftReportIntervalMs());
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        unreportedDrift.update(drift.pending(System.currentTimeMillis()));
        checkpointedClocks.update(clocks.snapshot());
    }

    @Override
    public void open(OpenContext openContext) {
        MeterRegistry registry =
                PipelineMeterRegistry.forJob(
                        "ingest-normalizer", settings.metricsPort(), settings.metricsBindAddress());
        metrics = new NormalizerMetrics(registry);
        clocks =
                new RawPartitionClocks(
                        settings.maxOutOfOrdernessMs(),
                        settings.idlenessMs(),
                        settings.maxFutureSkewMs(),
                        registry);
        if (restoredClocks != null) {
            restoredClocks.forEach(clocks::restore);
        }
        if (drift == null) {
            // run outside a Flink operator (benchmarks): nothing to restore
            drift = newDriftTracker();
        }
        reference = settings.referenceFeed(new ReferenceUpdateMetrics(metrics));
        Enricher enricher =
                new Enricher(
                        reference,
                        settings.tenantTokenizer(),
                        new EndpointGuard(settings.maxNewEndpointsPerMinute()),
                        metrics,
                        drift);
        requests = new RequestLineNormalizer(enricher, metrics, drift);
        statuses = new StatusLineNormalizer(enricher, metrics, drift);
        metricRequests = new MetricRequestNormalizer();
        deadLetterLog = new DeadLetterLog();
    }

    @Override
    public void close() throws Exception {
        if (reference != null) {
            reference.close();
        }
        if (clocks != null) {
            clocks.close();
        }
    }

    /** Counts reference updates and logs the rejected ones; called on the feed's thread. */
    private record ReferenceUpdateMetrics(NormalizerMetrics metrics)
            implements ReferenceFeed.Listener {
        @Override
        public void applied(ReferenceUpdate update) {
            metrics.referenceUpdate(true);
        }

        @Override
        public void rejected(ReferenceUpdate update, String why) {
            metrics.referenceUpdate(false);
            LOG.warn("reference update rejected: {}", why);
        }
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<NormalizedRecord> out) {
        SourceKind source = sourceByTopic.get(raw.topic());
        if (source == null) {
            throw new IllegalStateException("subscribed to unconfigured topic " + raw.topic());
        }
        metrics.recordIn(source);
        long now =
                settings.ingestClock() == NormalizerSettings.IngestClock.RECORD_TIMESTAMP
                        ? raw.timestampMs()
                        : System.currentTimeMillis();
        recordClockMs = clocks.advance(raw, now);
        try {
            if (raw.value() == null || raw.value().length == 0) {
                throw new RejectedRecord(DeadLetterReason.EMPTY_RECORD, "no value bytes");
            }
            if (raw.value().length > settings.maxRecordBytes()) {
                throw new RejectedRecord(
                        DeadLetterReason.RECORD_TOO_LARGE,
                        raw.value().length + " bytes > " + settings.maxRecordBytes());
            }
            switch (source) {
                case GATEWAY:
                    emit(notInFuture(requests.gateway(raw.value(), now), now), source, out);
                    break;
                case AUTH:
                    emit(notInFuture(requests.auth(raw.value(), now), now), source, out);
                    break;
                case STATUS:
                    emit(notInFuture(statuses.normalize(raw.value(), now), now), out);
                    break;
                case METRICS:
                    normalizeMetrics(raw, now, ctx, out);
                    break;
                default:
                    throw new IllegalStateException(source.name());
            }
        } catch (RejectedRecord rejected) {
            deadLetter(raw, source, rejected.reason(), rejected.detail(), now, ctx);
        } catch (RuntimeException bug) {
            deadLetter(raw, source, DeadLetterReason.NORMALIZER_ERROR, bug.toString(), now, ctx);
        }
    }

    /**
     * What is due whether records arrive or not ({@link NormalizeOperator}): names the raw
     * partitions that went idle, and returns the drift report if one is due.
     */
    List<SchemaDrift> tick(long now, long watermark) {
        clocks.check(now, watermark);
        return drift.reportIfDue(now);
    }

    private RequestEvent notInFuture(RequestEvent event, long now) throws RejectedRecord {
        checkNotInFuture(event.eventTimeMs(), now);
        return event;
    }

    private StatusEvent notInFuture(StatusEvent event, long now) throws RejectedRecord {
        checkNotInFuture(event.eventTimeMs(), now);
        return event;
    }

    private void checkNotInFuture(long eventTimeMs, long now) throws RejectedRecord {
        if (eventTimeMs > now + settings.maxFutureSkewMs()) {
            throw new RejectedRecord(
                    DeadLetterReason.EVENT_TIME_IN_FUTURE,
                    "event time "
                            + java.time.Instant.ofEpochMilli(eventTimeMs)
                            + " is "
                            + (eventTimeMs - now)
                            + " ms ahead of the ingest clock");
        }
    }

    private void normalizeMetrics(
            RawRecord raw, long now, Context ctx, Collector<NormalizedRecord> out)
            throws RejectedRecord {
        MetricRequestNormalizer.Outcome outcome =
                metricRequests.normalize(raw.value(), now, sample -> emit(sample, now, out));
        if (outcome.rejectedSeries() > 0) {
            deadLetter(
                    raw,
                    SourceKind.METRICS,
                    DeadLetterReason.SERIES_MISSING_IDENTITY,
                    outcome.rejectedSeries()
                            + " series without region/service, e.g. "
                            + outcome.example(),
                    now,
                    ctx);
        }
    }

    private void emit(RequestEvent event, SourceKind source, Collector<NormalizedRecord> out) {
        out.collect(
                new NormalizedRecord(
                        EventKind.REQUEST,
                        EventCodec.key(event.dedupKey()),
                        EventCodec.encode(event),
                        event.eventTimeMs(),
                        recordClockMs));
        metrics.eventOut(EventKind.REQUEST, source, event.eventTimeMs(), event.ingestTimeMs());
        clocks.eventOut(event.eventTimeMs());
    }

    private void emit(StatusEvent event, Collector<NormalizedRecord> out) {
        out.collect(
                new NormalizedRecord(
                        EventKind.STATUS,
                        EventCodec.key(event.eventId()),
                        EventCodec.encode(event),
                        event.eventTimeMs(),
                        recordClockMs));
        metrics.eventOut(
                EventKind.STATUS, SourceKind.STATUS, event.eventTimeMs(), event.ingestTimeMs());
    }

    private void emit(MetricSample sample, long now, Collector<NormalizedRecord> out) {
        out.collect(
                new NormalizedRecord(
                        EventKind.METRIC_SAMPLE,
                        EventCodec.key(sample.dedupKey()),
                        EventCodec.encode(sample),
                        sample.timestampMs(),
                        recordClockMs));
        metrics.eventOut(EventKind.METRIC_SAMPLE, SourceKind.METRICS, sample.timestampMs(), now);
        clocks.eventOut(sample.timestampMs());
    }

    private void deadLetter(
            RawRecord raw,
            SourceKind source,
            DeadLetterReason reason,
            String detail,
            long now,
            Context ctx) {
        DeadLetter letter =
                new DeadLetter(
                        raw.topic(),
                        raw.partition(),
                        raw.offset(),
                        raw.timestampMs(),
                        reason,
                        detail,
                        raw.key(),
                        raw.value(),
                        now);
        ctx.output(DEAD_LETTERS, letter);
        metrics.deadLetter(source, reason);
        deadLetterLog.log(letter, now);
    }
}

package dev.servicehealth.bench;

import dev.servicehealth.ingest.normalize.NormalizedRecord;
import dev.servicehealth.ingest.normalize.RawRecord;
import dev.servicehealth.ingest.normalize.RawRecordNormalizer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole gateway path of {@link RawRecordNormalizer#processElement} on one thread, without
 * Flink: parse, validate, enrich, tokenize, protobuf-encode, count meters, and dead-letter the bad
 * lines. One operation is one raw gateway record, so ops/s is events/s on one core.
 *
 * <p>The records are {@code lines} simulator lines built before the trial and replayed in a loop,
 * so caches and branch predictors see the real variety of tenants, endpoints and drift. {@code
 * meters} compares the job's default (a Prometheus registry behind Micrometer's global registry)
 * with metrics disabled.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class NormalizerBenchmark {
    @Param({"prometheus", "none"})
    public String meters;

    @Param("200000")
    public int lines;

    private BenchSettings settings;
    private PrometheusMeterRegistry registry;
    private RawRecordNormalizer normalizer;
    private CountingOutputs outputs;
    private ProcessFunction<RawRecord, NormalizedRecord>.Context context;
    private RawRecord[] records;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        records = GatewayLines.generate(lines).toArray(new RawRecord[0]);
        settings = new BenchSettings();
        registry = BenchSettings.Meters.parse(meters).attach();
        // open() builds everything from the settings and reads nothing from a runtime context
        normalizer = new RawRecordNormalizer(BenchSettings.SOURCE_BY_TOPIC, settings.settings);
        normalizer.open(DefaultOpenContext.INSTANCE);
        outputs = new CountingOutputs();
        context = outputs.contextFor(normalizer);
        checkOutcomes();
    }

    /**
     * One pass over all lines before measuring: a wrong clock or a broken simulator would turn the
     * benchmark into a dead-letter benchmark without anyone noticing.
     */
    private void checkOutcomes() throws Exception {
        for (RawRecord record : records) {
            normalizer.processElement(record, context, outputs.collector);
        }
        double share = outputs.deadLetterShare(records.length);
        if (share > 0.02) {
            throw new IllegalStateException(
                    "dead letters are " + share * 100 + " % of the lines, expected about 0.35 %");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        normalizer.close();
        BenchSettings.Meters.detach(registry);
        settings.close();
    }

    @Benchmark
    public long processElement() throws Exception {
        normalizer.processElement(records[next], context, outputs.collector);
        next = next + 1 == records.length ? 0 : next + 1;
        return outputs.eventBytes;
    }
}

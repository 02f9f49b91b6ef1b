package dev.servicehealth.runtime;

import dev.servicehealth.runtime.clock.AddressedMark;
import dev.servicehealth.runtime.clock.ClockMark;
import dev.servicehealth.runtime.clock.ClockMarkWriter;
import dev.servicehealth.runtime.clock.ClockedDeserializer;
import dev.servicehealth.runtime.clock.ClockedSerializer;
import dev.servicehealth.runtime.clock.UpstreamWatermarks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * A job's parsed and checked configuration: every value parsed at start, the options all jobs share
 * checked here (bootstrap servers present, transaction timeout within the broker's limit), and the
 * Kafka wiring every job does the same way: committed sources, exactly-once sinks, checkpoints,
 * parallelism. Each job's config adds its own options and checks.
 */
public abstract class JobConfig {
    private final Configuration conf;
    private final JobOptions options;

    protected JobConfig(Map<String, String> values, JobOptions options) {
        this.conf = options.parse(values);
        this.options = options;
        JobArguments.require(conf, JobOptions.BOOTSTRAP_SERVERS);
        ExactlyOnceKafka.checkTransactionTimeout(
                JobOptions.TRANSACTION_TIMEOUT.key(),
                conf.get(JobOptions.TRANSACTION_TIMEOUT),
                conf.get(JobOptions.CHECKPOINT_INTERVAL));
    }

    /**
     * The configuration of a job's {@code main}: on a bad argument, the message and the usage on
     * stderr and exit code 2.
     */
    public static <C extends JobConfig> C fromArgsOrExit(
            String[] args, Function<String[], C> fromArgs, String usage) {
        try {
            return fromArgs.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(usage);
            System.exit(2);
            throw e;
        }
    }

    public final <T> T get(ConfigOption<T> option) {
        return conf.get(option);
    }

    public final Optional<String> checkpointDir() {
        return conf.getOptional(JobOptions.CHECKPOINT_DIR);
    }

    public final String bootstrapServers() {
        return conf.get(JobOptions.BOOTSTRAP_SERVERS);
    }

    /** The Prometheus scrape port of each task manager; -1 when disabled. */
    public final int metricsPort() {
        return conf.get(options.metricsPort());
    }

    public final String metricsBindAddress() {
        return conf.get(JobOptions.METRICS_BIND_ADDRESS);
    }

    /**
     * Exactly-once checkpoints at the configured interval, in the configured storage, and the
     * configured parallelism unless it keeps the cluster's default.
     */
    public final void configure(StreamExecutionEnvironment env) {
        ExactlyOnceKafka.enableCheckpointing(
                env, conf.get(JobOptions.CHECKPOINT_INTERVAL), checkpointDir());
        int parallelism = conf.get(JobOptions.PARALLELISM);
        if (parallelism > 0) {
            env.setParallelism(parallelism);
        }
    }

    /**
     * A source of {@code topics} in the job's consumer group: it starts at the group's committed
     * offsets (the earliest on a first start; a restore uses the checkpoint's), reads only
     * committed records, since every producer upstream may write in transactions, and stops at the
     * offsets latest at start when the job is {@link JobOptions#BOUNDED}.
     */
    public final <T> KafkaSource<T> committedSource(
            List<String> topics, KafkaRecordDeserializationSchema<T> deserializer) {
        KafkaSourceBuilder<T> builder =
                KafkaSource.<T>builder()
                        .setBootstrapServers(bootstrapServers())
                        .setTopics(topics)
                        .setGroupId(conf.get(options.groupId()))
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                        .setDeserializer(deserializer)
                        .setProperty("isolation.level", "read_committed");
        if (conf.get(JobOptions.BOUNDED)) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /** A transactional sink whose transactional ids are the job's prefix and {@code name}. */
    public final <T> KafkaSink<T> exactlyOnceSink(
            String name, KafkaRecordSerializationSchema<T> serializer) {
        return ExactlyOnceKafka.sink(
                conf.get(JobOptions.BOOTSTRAP_SERVERS),
                conf.get(options.transactionalIdPrefix()) + "-" + name,
                conf.get(JobOptions.TRANSACTION_TIMEOUT),
                serializer);
    }

    /**
     * The events of clocked topics, with the upstream job's clock as their timestamps and its marks
     * as their watermarks (decision 0009): a partition holds its reader back until every upstream
     * writer has said how far it has come, so no record still to come falls behind the watermark.
     */
    public final <T> DataStream<T> clockedSource(
            StreamExecutionEnvironment env,
            List<String> topics,
            KafkaRecordDeserializationSchema<T> events,
            String name,
            String uid) {
        return env.fromSource(
                        committedSource(topics, new ClockedDeserializer<>(events)),
                        UpstreamWatermarks.<T>strategy(),
                        name)
                .uid(uid)
                .flatMap(
                        (Either<ClockMark, T> record, Collector<T> out) -> {
                            if (record.isRight()) {
                                out.collect(record.right());
                            }
                        })
                .returns(events.getProducedType())
                .name(name + "-events")
                .uid(uid + "-events");
    }

    /**
     * An exactly-once sink as {@link #exactlyOnceSink} that also writes the stream's watermark into
     * every partition of {@code clockedTopics} every {@code markInterval}, for the next job's
     * {@link #clockedSource}.
     */
    public final <T> DataStreamSink<Either<T, AddressedMark>> clockedSink(
            DataStream<T> events,
            String name,
            KafkaRecordSerializationSchema<T> serializer,
            List<String> clockedTopics,
            Duration markInterval,
            String uid) {
        return events.transform(
                        name + "-clock-marks",
                        ClockMarkWriter.outputType(events.getType()),
                        new ClockMarkWriter<T>(
                                ClockMarkWriter.Partitions.of(bootstrapServers(), clockedTopics),
                                markInterval))
                .uid(uid + "-clock-marks")
                .sinkTo(exactlyOnceSink(name, new ClockedSerializer<>(serializer)))
                .uid(uid);
    }
}

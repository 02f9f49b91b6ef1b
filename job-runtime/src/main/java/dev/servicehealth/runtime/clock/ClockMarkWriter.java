package dev.servicehealth.runtime.clock;

import dev.servicehealth.runtime.PeriodicTimer;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Passes events on to the sink and writes the operator's watermark as a clock mark into every
 * partition of the clocked topics: once per {@code interval} whether it changed or not (so a reader
 * that starts late learns it), at once when the input goes idle or active again, and at the end of
 * a bounded input. The marks cost a few records per partition and interval whatever the event rate.
 * They go after the records they cover, through the same transactional sink.
 */
public final class ClockMarkWriter<T> extends AbstractStreamOperator<Either<T, AddressedMark>>
        implements OneInputStreamOperator<T, Either<T, AddressedMark>> {
    private static final long serialVersionUID = 1L;

    private final Partitions lookup;
    private final long intervalMs;

    private transient List<TopicPartition> partitions;
    private transient int writer;
    private transient int writers;

    /** The highest watermark the operator has seen, which every mark carries. */
    private transient long watermark;

    private transient boolean idle;

    /**
     * Where the marks go: every partition of the clocked topics, looked up when a subtask opens.
     */
    @FunctionalInterface
    public interface Partitions extends Serializable {
        List<TopicPartition> lookUp() throws Exception;

        /** The partitions of {@code topics} as the broker describes them. */
        static Partitions of(String bootstrapServers, List<String> topics) {
            List<String> clocked = List.copyOf(topics);
            return () -> describe(bootstrapServers, clocked);
        }
    }

    public ClockMarkWriter(Partitions partitions, Duration interval) {
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "the clock-mark interval must be at least 1 ms, not " + interval);
        }
        this.lookup = partitions;
        this.intervalMs = interval.toMillis();
    }

    /** The sink's input type: events of {@code eventType} or addressed marks. */
    public static <T> TypeInformation<Either<T, AddressedMark>> outputType(
            TypeInformation<T> eventType) {
        return new EitherTypeInfo<>(eventType, TypeInformation.of(AddressedMark.class));
    }

    @Override
    public void open() throws Exception {
        super.open();
        writer = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        writers = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        partitions = lookup.lookUp();
        watermark = Long.MIN_VALUE;
        PeriodicTimer.every(getProcessingTimeService(), intervalMs, time -> writeState());
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element.replace(Either.Left(element.getValue())));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        if (watermark == Long.MAX_VALUE) {
            writeState();
        }
        super.processWatermark(mark);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        idle = status.isIdle();
        // at once: readers must stop waiting for an idle writer, and wait again for an active one
        // even before it has a watermark
        writeState();
        super.processWatermarkStatus(status);
    }

    /**
     * The writer's whole state, changed or not: a reader that starts (or restarts) after a mark
     * learns this writer's state within one interval.
     */
    private void writeState() {
        write(new ClockMark(writer, writers, watermark, idle));
    }

    private void write(ClockMark mark) {
        for (TopicPartition partition : partitions) {
            output.collect(
                    new StreamRecord<>(
                            Either.Right(
                                    new AddressedMark(
                                            partition.topic(), partition.partition(), mark))));
        }
    }

    private static List<TopicPartition> describe(String bootstrapServers, List<String> topics)
            throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Map<String, TopicDescription> described =
                    admin.describeTopics(topics).allTopicNames().get();
            List<TopicPartition> all = new ArrayList<>();
            for (String topic : topics) {
                for (TopicPartitionInfo info : described.get(topic).partitions()) {
                    all.add(new TopicPartition(topic, info.partition()));
                }
            }
            return List.copyOf(all);
        }
    }
}

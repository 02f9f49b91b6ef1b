package dev.servicehealth.bench;

import dev.servicehealth.ingest.normalize.RawRecord;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Pre-generated raw records that a {@code DataGeneratorSource} hands out in a loop. The records
 * stay on this JVM's heap and only the pool's id travels in the job graph: the benchmark's
 * MiniCluster runs in the same JVM, and serializing tens of megabytes of lines into the job graph
 * would put their copying and decoding into the measured time.
 */
final class RawRecordPool implements AutoCloseable {
    private static final Map<String, RawRecord[]> POOLS = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    RawRecordPool(List<RawRecord> records) {
        POOLS.put(id, records.toArray(new RawRecord[0]));
    }

    /** Record {@code i} of the source is record {@code i mod size} of the pool. */
    GeneratorFunction<Long, RawRecord> generator() {
        return new Looping(id);
    }

    @Override
    public void close() {
        POOLS.remove(id);
    }

    private static final class Looping implements GeneratorFunction<Long, RawRecord> {
        private static final long serialVersionUID = 1L;

        private final String poolId;
        private transient RawRecord[] records;

        Looping(String poolId) {
            this.poolId = poolId;
        }

        @Override
        public void open(SourceReaderContext readerContext) {
            records = POOLS.get(poolId);
            if (records == null) {
                throw new IllegalStateException(
                        "record pool " + poolId + " is closed or in another JVM");
            }
        }

        @Override
        public RawRecord map(Long index) {
            return records[(int) (index % records.length)];
        }
    }
}

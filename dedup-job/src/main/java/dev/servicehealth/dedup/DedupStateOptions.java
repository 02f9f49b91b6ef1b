package dev.servicehealth.dedup;

import java.util.Collection;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

/**
 * RocksDB options for a state that is mostly asked about keys it does not hold: a bloom filter over
 * the memtable's whole keys, so a lookup of a new event skips the memtable's skip list as the SST
 * bloom filters let it skip the files. Measured in docs/benchmarks.md.
 */
public final class DedupStateOptions implements RocksDBOptionsFactory {
    private static final long serialVersionUID = 1L;

    /** Share of the memtable size given to its bloom filter (RocksDB's suggested 10 %). */
    static final double MEMTABLE_BLOOM_RATIO = 0.1;

    @Override
    public DBOptions createDBOptions(
            DBOptions currentOptions, Collection<AutoCloseable> handlesToClose) {
        return currentOptions;
    }

    @Override
    public ColumnFamilyOptions createColumnOptions(
            ColumnFamilyOptions currentOptions, Collection<AutoCloseable> handlesToClose) {
        return currentOptions
                .setMemtablePrefixBloomSizeRatio(MEMTABLE_BLOOM_RATIO)
                .setMemtableWholeKeyFiltering(true);
    }
}

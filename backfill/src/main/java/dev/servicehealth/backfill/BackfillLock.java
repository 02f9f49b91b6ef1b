package dev.servicehealth.backfill;

import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.types.Types;

/**
 * One backfill at a time: the lock is a table the catalog creates for one caller only (a JDBC
 * catalog's unique key, a REST catalog's 409), its properties saying who holds it. A backfill that
 * died holding it is released by hand ({@code ./backfill-range --release-lock ID}), after checking
 * that its job is gone (docs/runbooks.md).
 */
public final class BackfillLock {
    static final TableIdentifier LOCK = TableIdentifier.of(StagedTables.NAMESPACE, "running");
    private static final Schema NO_ROWS =
            new Schema(Types.NestedField.optional(1, "unused", Types.StringType.get()));

    private BackfillLock() {}

    /** Another backfill holds the lock. */
    public static final class HeldException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HeldException(String message) {
            super(message);
        }
    }

    /**
     * @throws HeldException naming the backfill that holds it, its range, who and since when
     */
    public static void acquire(Catalog catalog, String backfillId, Map<String, String> holder) {
        StagedTables.createNamespace(catalog);
        try {
            catalog.buildTable(LOCK, NO_ROWS)
                    .withProperties(holder)
                    .withProperty("backfill.id", backfillId)
                    .create();
        } catch (AlreadyExistsException e) {
            Map<String, String> held;
            try {
                held = catalog.loadTable(LOCK).properties();
            } catch (NoSuchTableException releasedMeanwhile) {
                throw new HeldException("another backfill held the lock a moment ago; try again");
            }
            throw new HeldException(
                    "another backfill is running: "
                            + held.get("backfill.id")
                            + " of "
                            + held.get("backfill.range")
                            + " by "
                            + held.get("backfill.requested-by")
                            + " since "
                            + held.get("backfill.started-at")
                            + "; if it died, check its job is gone and run ./backfill-range"
                            + " --release-lock "
                            + held.get("backfill.id"));
        }
    }

    public static boolean heldBy(Catalog catalog, String backfillId) {
        try {
            return backfillId.equals(catalog.loadTable(LOCK).properties().get("backfill.id"));
        } catch (NoSuchTableException e) {
            return false;
        }
    }

    /** Releases the lock if {@code backfillId} holds it; returns whether it did. */
    public static boolean release(Catalog catalog, String backfillId) {
        Table lock;
        try {
            lock = catalog.loadTable(LOCK);
        } catch (NoSuchTableException e) {
            return false;
        }
        if (!backfillId.equals(lock.properties().get("backfill.id"))) {
            return false;
        }
        return catalog.dropTable(LOCK, true);
    }
}

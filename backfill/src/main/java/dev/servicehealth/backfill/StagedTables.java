package dev.servicehealth.backfill;

import dev.servicehealth.history.HistoryTable;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.types.Types;

/**
 * Where a backfill's rows wait between the job that computes them and the commit that replaces the
 * range: one table per gold table, with its schema and partitioning, so the diff reads both alike
 * and the commit adds the staged files to gold as they are; and the upserts for Pinot, as the bytes
 * to publish. In the {@code backfill} namespace, named by the backfill's id.
 */
public record StagedTables(String backfillId) {
    public static final Namespace NAMESPACE = Namespace.of("backfill");

    private static final String COMPUTED_AT = "backfill.computed-at";

    static final Schema UPSERTS_SCHEMA =
            new Schema(
                    Types.NestedField.required(1, "topic", Types.StringType.get()),
                    Types.NestedField.required(2, "record_key", Types.BinaryType.get()),
                    Types.NestedField.required(3, "record_value", Types.BinaryType.get()));

    public StagedTables {
        if (!backfillId.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException(
                    "backfill id '" + backfillId + "' is not lower-case letters, digits and _");
        }
    }

    public TableIdentifier rowsOf(HistoryTable gold) {
        return TableIdentifier.of(NAMESPACE, backfillId + "_" + gold.identifier().name());
    }

    public TableIdentifier upserts() {
        return TableIdentifier.of(NAMESPACE, backfillId + "_upserts");
    }

    /**
     * Creates the staged tables, each gold table's from its schema and spec as they are now, and
     * under its location: the files an apply hands to gold are where gold's readers (and their
     * credentials, in a catalog that scopes them by location) already reach, and gold's orphan
     * cleanup removes what a dropped staged table leaves behind.
     */
    public void create(Catalog catalog, List<HistoryTable> golds) {
        createNamespace(catalog);
        for (HistoryTable gold : golds) {
            Table table = catalog.loadTable(gold.identifier());
            create(
                    catalog,
                    rowsOf(gold),
                    table.schema(),
                    table.spec(),
                    table.location() + "/backfill/" + backfillId);
        }
        create(catalog, upserts(), UPSERTS_SCHEMA, PartitionSpec.unpartitioned(), null);
    }

    /** Says the job computed the staged rows to the end: only then may they be diffed. */
    public void markComputed(Catalog catalog) {
        catalog.loadTable(upserts())
                .updateProperties()
                .set(COMPUTED_AT, java.time.Instant.now().toString())
                .commit();
    }

    public boolean computed(Catalog catalog) {
        return catalog.loadTable(upserts()).properties().containsKey(COMPUTED_AT);
    }

    static void createNamespace(Catalog catalog) {
        if (catalog instanceof SupportsNamespaces namespaces
                && !namespaces.namespaceExists(NAMESPACE)) {
            try {
                namespaces.createNamespace(NAMESPACE);
            } catch (AlreadyExistsException createdMeanwhile) {
                // what we wanted
            }
        }
    }

    private static void create(
            Catalog catalog,
            TableIdentifier id,
            Schema schema,
            PartitionSpec spec,
            String location) {
        Catalog.TableBuilder table = catalog.buildTable(id, schema);
        if (location != null) {
            table.withLocation(location);
        }
        table.withPartitionSpec(spec)
                .withProperty(TableProperties.FORMAT_VERSION, "2")
                .withProperty(TableProperties.DEFAULT_FILE_FORMAT, "parquet")
                .withProperty(TableProperties.PARQUET_COMPRESSION, "zstd")
                .create();
    }

    /**
     * Drops the staged tables, their files with them except those of the tables in {@code applied}:
     * an applied table's files now belong to its gold table.
     */
    public void drop(Catalog catalog, List<HistoryTable> golds, Set<HistoryTable> applied) {
        for (HistoryTable gold : golds) {
            catalog.dropTable(rowsOf(gold), !applied.contains(gold));
        }
        catalog.dropTable(upserts(), true);
    }
}

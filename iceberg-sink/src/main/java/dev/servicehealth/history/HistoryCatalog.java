package dev.servicehealth.history;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;

/**
 * The Iceberg catalog of the history tables (decision 0010): locally and in tests a JDBC catalog on
 * a SQLite file with a {@code file://} warehouse; in production a REST catalog with an {@code
 * s3://} warehouse. Creates the zones and tables that are missing, with the table properties the
 * writers and the upkeep rely on (file size, format, what maintenance may delete).
 */
public final class HistoryCatalog {
    /** Parquet files the writers and compaction aim for: large enough to scan, small to commit. */
    public static final long TARGET_FILE_BYTES = 128L * 1024 * 1024;

    private final String name;
    private final Map<String, String> properties;
    private final String type;

    private HistoryCatalog(String name, String type, Map<String, String> properties) {
        this.name = name;
        this.type = type;
        this.properties = Map.copyOf(properties);
    }

    /**
     * A JDBC catalog on {@code uri}; on SQLite, writers wait up to 30 s for another committer's
     * write lock instead of failing at once, and readers do not block them (WAL).
     */
    public static HistoryCatalog jdbc(String name, String uri, String warehouse) {
        Map<String, String> properties = new HashMap<>();
        properties.put(CatalogProperties.URI, uri);
        properties.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
        if (uri.startsWith("jdbc:sqlite:")) {
            properties.put(JdbcCatalog.PROPERTY_PREFIX + "busy_timeout", "30000");
            properties.put(JdbcCatalog.PROPERTY_PREFIX + "journal_mode", "WAL");
        }
        return new HistoryCatalog(name, "jdbc", properties);
    }

    /**
     * The JDBC catalog of one folder: its SQLite file {@code catalog.db} and its warehouse {@code
     * warehouse/} side by side (the local run, tests, benchmarks).
     */
    public static HistoryCatalog inDirectory(String name, Path directory) {
        return jdbc(
                name,
                "jdbc:sqlite:" + directory.resolve("catalog.db"),
                directory.resolve("warehouse").toUri().toString());
    }

    /** A REST catalog (Polaris, Glue's or S3 Tables' Iceberg endpoint, Nessie) at {@code uri}. */
    public static HistoryCatalog rest(String name, String uri, String warehouse, String ioImpl) {
        Map<String, String> properties = new HashMap<>();
        properties.put(CatalogProperties.URI, uri);
        properties.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
        if (ioImpl != null && !ioImpl.isEmpty()) {
            properties.put(CatalogProperties.FILE_IO_IMPL, ioImpl);
        }
        return new HistoryCatalog(name, "rest", properties);
    }

    public String name() {
        return name;
    }

    public String uri() {
        return properties.get(CatalogProperties.URI);
    }

    public String warehouse() {
        return properties.get(CatalogProperties.WAREHOUSE_LOCATION);
    }

    /** How each task opens the catalog: serializable, one client per task. */
    public CatalogLoader loader() {
        Configuration hadoop = new Configuration();
        return switch (type) {
            case "jdbc" ->
                    CatalogLoader.custom(name, properties, hadoop, JdbcCatalog.class.getName());
            case "rest" -> CatalogLoader.rest(name, hadoop, properties);
            default -> throw new IllegalStateException(type);
        };
    }

    public TableLoader tableLoader(HistoryTable table) {
        return tableLoader(table.identifier());
    }

    public TableLoader tableLoader(TableIdentifier table) {
        return TableLoader.fromCatalog(loader(), table);
    }

    public Catalog open() {
        return loader().loadCatalog();
    }

    /** Creates the zones and tables that do not exist yet; leaves existing ones as they are. */
    public static void createMissing(Catalog catalog) {
        if (catalog instanceof SupportsNamespaces namespaces) {
            for (HistoryTable.Zone zone : HistoryTable.Zone.values()) {
                if (!namespaces.namespaceExists(zone.namespace())) {
                    try {
                        namespaces.createNamespace(zone.namespace());
                    } catch (AlreadyExistsException createdMeanwhile) {
                        // another job created it first: what we wanted
                    }
                }
            }
        }
        for (HistoryTable table : HistoryTable.values()) {
            if (!catalog.tableExists(table.identifier())) {
                try {
                    create(catalog, table);
                } catch (AlreadyExistsException createdMeanwhile) {
                    // another job created it first
                }
            }
        }
    }

    /**
     * Fails unless every table exists with the columns this version writes, in its order: rows are
     * written by position, so a column missing, moved, retyped or added would misalign them.
     *
     * @throws IllegalStateException naming the table and how it differs
     */
    public static void checkTables(Catalog catalog) {
        for (HistoryTable table : HistoryTable.values()) {
            if (!catalog.tableExists(table.identifier())) {
                throw new IllegalStateException(
                        table.identifier()
                                + " does not exist; start with --create-tables true once");
            }
            List<String> differences = differences(catalog.loadTable(table.identifier()), table);
            if (!differences.isEmpty()) {
                throw new IllegalStateException(
                        table.identifier()
                                + " differs from what this version writes: "
                                + differences
                                + "; evolve the table first (docs/runbooks.md)");
            }
        }
    }

    /**
     * How an existing table's columns differ from what this version writes, position by position:
     * name, type (nested types by kind) and nullability (a required column where the writer may
     * write null). Columns beyond the written ones are differences too.
     */
    static List<String> differences(Table existing, HistoryTable table) {
        List<String> differences = new ArrayList<>();
        List<Types.NestedField> written = table.schema().columns();
        List<Types.NestedField> actual = existing.schema().columns();
        for (int i = 0; i < Math.max(written.size(), actual.size()); i++) {
            if (i >= actual.size()) {
                differences.add("no column " + written.get(i).name() + " at " + (i + 1));
                continue;
            }
            if (i >= written.size()) {
                differences.add(
                        "column " + actual.get(i).name() + " at " + (i + 1) + " is not written");
                continue;
            }
            Types.NestedField expected = written.get(i);
            Types.NestedField found = actual.get(i);
            if (!found.name().equals(expected.name())) {
                differences.add(
                        "column " + (i + 1) + " is " + found.name() + ", not " + expected.name());
            } else if (!found.type().equals(expected.type())
                    && !(found.type().isNestedType()
                            && found.type().typeId() == expected.type().typeId())) {
                differences.add(
                        expected.name() + " is " + found.type() + ", not " + expected.type());
            } else if (found.isRequired() && expected.isOptional()) {
                differences.add(expected.name() + " is required, but may be null");
            }
        }
        return differences;
    }

    private static Table create(Catalog catalog, HistoryTable table) {
        return catalog.buildTable(table.identifier(), table.schema())
                .withPartitionSpec(table.partitionSpec())
                .withProperty(TableProperties.FORMAT_VERSION, "2")
                .withProperty(TableProperties.DEFAULT_FILE_FORMAT, "parquet")
                .withProperty(TableProperties.PARQUET_COMPRESSION, "zstd")
                .withProperty(
                        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
                        Long.toString(TARGET_FILE_BYTES))
                // many writers commit to the same catalog at each checkpoint: retry, do not fail
                .withProperty(TableProperties.COMMIT_NUM_RETRIES, "10")
                // upkeep removes old metadata files as it expires snapshots
                .withProperty(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true")
                .withProperty(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "20")
                .withProperty("comment", table.description())
                .create();
    }
}

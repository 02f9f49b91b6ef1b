package dev.servicehealth.history;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The options that say where the history tables are, spelled once for every job that reads or
 * writes them (the sink, the daily usage batch), with their checks.
 */
public final class HistoryCatalogOptions {
    public static final ConfigOption<String> CATALOG_TYPE =
            ConfigOptions.key("catalog-type")
                    .stringType()
                    .defaultValue("jdbc")
                    .withDescription(
                            "jdbc (SQLite or PostgreSQL; local runs and tests) or rest"
                                    + " (production)");
    public static final ConfigOption<String> CATALOG_URI =
            ConfigOptions.key("catalog-uri")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "jdbc:sqlite:/path/catalog.db, jdbc:postgresql://…, or the REST"
                                    + " catalog's https:// address");
    public static final ConfigOption<String> WAREHOUSE =
            ConfigOptions.key("warehouse")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("where table files live: file:///… locally, s3://… in AWS");
    public static final ConfigOption<String> CATALOG_NAME =
            ConfigOptions.key("catalog-name")
                    .stringType()
                    .defaultValue("service_health")
                    .withDescription("the catalog's name (JDBC: the catalog_name in its tables)");
    public static final ConfigOption<String> IO_IMPL =
            ConfigOptions.key("io-impl")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "FileIO of a REST catalog's warehouse, e.g."
                                    + " org.apache.iceberg.aws.s3.S3FileIO; empty: the"
                                    + " catalog's default");

    /** Every catalog option, for a job's list of options. */
    public static final List<ConfigOption<?>> ALL =
            List.of(CATALOG_TYPE, CATALOG_URI, WAREHOUSE, CATALOG_NAME, IO_IMPL);

    /** How a job's configuration reads an option. */
    @FunctionalInterface
    public interface Values {
        <T> T get(ConfigOption<T> option);
    }

    private HistoryCatalogOptions() {}

    /**
     * @throws IllegalArgumentException naming the option that is missing or wrong
     */
    public static void check(Values values) {
        for (ConfigOption<String> required : List.of(CATALOG_URI, WAREHOUSE)) {
            String value = values.get(required);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("--" + required.key() + " is required");
            }
        }
        String type = values.get(CATALOG_TYPE);
        if (!List.of("jdbc", "rest").contains(type)) {
            throw new IllegalArgumentException(
                    CATALOG_TYPE.key() + " must be jdbc or rest, not '" + type + "'");
        }
        if (type.equals("jdbc") && !values.get(CATALOG_URI).startsWith("jdbc:")) {
            throw new IllegalArgumentException(
                    CATALOG_URI.key() + " of a jdbc catalog must start with jdbc:");
        }
    }

    public static HistoryCatalog catalog(Values values) {
        return values.get(CATALOG_TYPE).equals("jdbc")
                ? HistoryCatalog.jdbc(
                        values.get(CATALOG_NAME), values.get(CATALOG_URI), values.get(WAREHOUSE))
                : HistoryCatalog.rest(
                        values.get(CATALOG_NAME),
                        values.get(CATALOG_URI),
                        values.get(WAREHOUSE),
                        values.get(IO_IMPL));
    }
}

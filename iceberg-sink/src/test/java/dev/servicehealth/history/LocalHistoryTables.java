package dev.servicehealth.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every history table, created afresh for each test in a SQLite catalog of its own, closed and
 * deleted after it.
 */
public final class LocalHistoryTables implements BeforeEachCallback, AfterEachCallback {
    private Path directory;
    private HistoryCatalog history;
    private Catalog catalog;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        directory = Files.createTempDirectory("history-tables");
        history = HistoryCatalog.inDirectory("service_health", directory);
        catalog = history.open();
        HistoryCatalog.createMissing(catalog);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        ((AutoCloseable) catalog).close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** The open catalog of the tables. */
    public Catalog catalog() {
        return catalog;
    }

    /** Where they are, for a job or a command to open them itself. */
    public HistoryCatalog location() {
        return history;
    }
}

package dev.servicehealth.model.reference;

import dev.servicehealth.model.TenantTier;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The reference data of the seeds folder: service catalog, tenant tiers and SLO targets. Jobs load
 * it at start, from a directory given in their configuration or, by default, from the copy bundled
 * in this module's jar.
 */
public record ReferenceData(
        ServiceCatalog serviceCatalog,
        TenantDirectory tenants,
        Map<TenantTier, SloTarget> sloTargets)
        implements Serializable {

    public static final String SERVICE_CATALOG = "service-catalog.csv";
    public static final String TENANT_TIERS = "tenant-tiers.csv";
    public static final String SLO_TARGETS = "slo-targets.csv";

    /** Loads the seeds bundled at build time from the top-level seeds/ folder. */
    public static ReferenceData bundled() {
        return new ReferenceData(
                ServiceCatalog.read(SERVICE_CATALOG, resource(SERVICE_CATALOG)),
                TenantDirectory.read(TENANT_TIERS, resource(TENANT_TIERS)),
                readSlo(resource(SLO_TARGETS)));
    }

    public static ReferenceData fromDirectory(Path dir) {
        try (InputStream catalog = Files.newInputStream(dir.resolve(SERVICE_CATALOG));
                InputStream tiers = Files.newInputStream(dir.resolve(TENANT_TIERS));
                InputStream slo = Files.newInputStream(dir.resolve(SLO_TARGETS))) {
            return new ReferenceData(
                    ServiceCatalog.read(SERVICE_CATALOG, catalog),
                    TenantDirectory.read(TENANT_TIERS, tiers),
                    readSlo(slo));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read reference data from " + dir, e);
        }
    }

    private static Map<TenantTier, SloTarget> readSlo(InputStream in) {
        CsvTable table = CsvTable.read(SLO_TARGETS, in);
        Map<TenantTier, SloTarget> targets = new EnumMap<>(TenantTier.class);
        for (Map<String, String> row : table.rows()) {
            TenantTier tier =
                    TenantTier.parse(table.require(row, "tier"))
                            .orElseThrow(() -> new IllegalArgumentException("tier in " + row));
            targets.put(
                    tier,
                    new SloTarget(
                            tier,
                            Double.parseDouble(table.require(row, "availability_pct")),
                            Double.parseDouble(table.require(row, "latency_p95_ms")),
                            Double.parseDouble(table.require(row, "latency_p99_ms")),
                            Double.parseDouble(table.require(row, "auth_failure_rate_pct"))));
        }
        return targets;
    }

    private static InputStream resource(String name) {
        InputStream in = ReferenceData.class.getResourceAsStream("/seeds/" + name);
        if (in == null) {
            throw new IllegalStateException("seeds/" + name + " is not on the classpath");
        }
        return in;
    }
}

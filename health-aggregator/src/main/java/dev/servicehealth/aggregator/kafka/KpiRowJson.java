package dev.servicehealth.aggregator.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.servicehealth.aggregator.kpi.KpiKey;
import dev.servicehealth.aggregator.kpi.KpiPartial;
import dev.servicehealth.aggregator.kpi.KpiRow;
import dev.servicehealth.model.catalog.DistributionKpi;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.MetricCatalog;
import dev.servicehealth.model.catalog.SaturationKpi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The JSON a KPI row is written as (what Pinot's JSON decoder reads): the grain's dimensions and
 * {@code window_start} (ms); for request grains every catalog counter by name, each distribution's
 * serialized t-digest as hex ({@code latency_tdigest}, a Pinot BYTES column) and its precomputed
 * percentiles ({@code latency_p50}, …); for the saturation grain each signal's {@code _max} and
 * {@code _avg}; then {@code events}, {@code newest_event_at}, {@code version} (generation and
 * emission count, {@code KpiVersion}), {@code generation}, {@code firing} and {@code emitted_at}.
 * The Kafka key is the upsert key, so every version of a row lands in the same partition.
 */
public final class KpiRowJson {
    private static final JsonFactory JSON = new JsonFactory();
    private static final HexFormat HEX = HexFormat.of();

    private KpiRowJson() {}

    /** The upsert key: grain, window start and dimensions. */
    public static byte[] key(KpiKey key) {
        return (key.grainName() + "|" + key.windowStartMs() + "|" + key.dimensions())
                .getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] row(KpiRow row) {
        return write(
                json -> {
                    dimensions(json, row.key());
                    if (row.key().grain() == Grain.SATURATION) {
                        saturation(json, row.gauges());
                    } else {
                        requestKpis(json, row);
                    }
                    json.writeNumberField("events", row.events());
                    json.writeNumberField("newest_event_at", row.newestEventTimeMs());
                    json.writeNumberField("version", row.version());
                    json.writeNumberField("generation", row.generation());
                    json.writeStringField("firing", row.firing().name());
                    json.writeNumberField("emitted_at", row.emittedAtMs());
                });
    }

    private static void requestKpis(JsonGenerator json, KpiRow row) throws IOException {
        List<String> counters = MetricCatalog.COUNTERS.stream().map(c -> c.name()).toList();
        for (int i = 0; i < counters.size(); i++) {
            json.writeNumberField(counters.get(i), row.counters()[i]);
        }
        int p = 0;
        for (int i = 0; i < MetricCatalog.DISTRIBUTIONS.size(); i++) {
            DistributionKpi distribution = MetricCatalog.DISTRIBUTIONS.get(i);
            json.writeStringField(distribution.sketchColumn(), HEX.formatHex(row.sketches()[i]));
            for (double q : distribution.quantiles()) {
                numberOrNull(json, distribution.percentileColumn(q), row.percentiles()[p++]);
            }
        }
    }

    /** Per saturation signal {@code <name>_max} and {@code <name>_avg}; null without samples. */
    private static void saturation(JsonGenerator json, double[] gauges) throws IOException {
        for (int i = 0; i < MetricCatalog.SATURATION.size(); i++) {
            SaturationKpi signal = MetricCatalog.SATURATION.get(i);
            double samples = gauges[3 * i + 2];
            numberOrNull(json, signal.column("max"), samples == 0 ? Double.NaN : gauges[3 * i]);
            numberOrNull(
                    json,
                    signal.column("avg"),
                    samples == 0 ? Double.NaN : gauges[3 * i + 1] / samples);
        }
    }

    private static void numberOrNull(JsonGenerator json, String column, double value)
            throws IOException {
        if (Double.isNaN(value)) {
            json.writeNullField(column);
        } else {
            json.writeNumberField(column, value);
        }
    }

    /** A contribution that came after its window's lateness bound: what and how many. */
    public static byte[] tooLate(KpiPartial partial, long seenAtMs) {
        return write(
                json -> {
                    dimensions(json, partial.key());
                    json.writeNumberField("events", partial.events());
                    json.writeNumberField("seen_at", seenAtMs);
                });
    }

    private static void dimensions(JsonGenerator json, KpiKey key) throws IOException {
        Grain grain = key.grain();
        json.writeStringField("grain", grain.name().toLowerCase(Locale.ROOT));
        json.writeNumberField("window_start", key.windowStartMs());
        List<String> names = grain.dimensions().subList(1, grain.dimensions().size());
        String[] values = key.dimensions().split(String.valueOf(KpiKey.SEPARATOR), -1);
        for (int i = 0; i < names.size(); i++) {
            json.writeStringField(names.get(i), values[i]);
        }
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            body.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }
}

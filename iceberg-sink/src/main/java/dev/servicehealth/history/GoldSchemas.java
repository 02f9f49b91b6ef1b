package dev.servicehealth.history;

import dev.servicehealth.model.catalog.CounterKpi;
import dev.servicehealth.model.catalog.DistributionKpi;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.MetricCatalog;
import dev.servicehealth.model.catalog.SaturationKpi;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The gold schemas, generated from the metric catalog so that history cannot disagree with it: the
 * grain's dimensions, then per counter a long, per distribution its sketch (bytes, so history can
 * merge percentiles over any range) and its precomputed percentiles, per saturation signal each
 * aggregate; then the row's bookkeeping as the aggregator writes it to {@code kpi.history.v1}.
 */
final class GoldSchemas {
    private GoldSchemas() {}

    static Schema kpiRows(Grain grain) {
        Fields fields = new Fields();
        fields.required("window_start", Types.TimestampType.withZone());
        for (String dimension : grain.dimensions().subList(1, grain.dimensions().size())) {
            fields.required(dimension, Types.StringType.get());
        }
        if (grain == Grain.SATURATION) {
            for (SaturationKpi signal : MetricCatalog.SATURATION) {
                for (String aggregate : signal.aggregates()) {
                    fields.optional(signal.column(aggregate), Types.DoubleType.get());
                }
            }
        } else {
            for (CounterKpi counter : MetricCatalog.COUNTERS) {
                fields.required(counter.name(), Types.LongType.get());
            }
            for (DistributionKpi distribution : MetricCatalog.DISTRIBUTIONS) {
                fields.required(distribution.sketchColumn(), Types.BinaryType.get());
                for (double q : distribution.quantiles()) {
                    fields.optional(distribution.percentileColumn(q), Types.DoubleType.get());
                }
            }
        }
        fields.required("events", Types.LongType.get());
        fields.required("newest_event_at", Types.TimestampType.withZone());
        fields.required("version", Types.LongType.get());
        fields.required("generation", Types.IntegerType.get());
        fields.required("firing", Types.StringType.get());
        fields.required("emitted_at", Types.TimestampType.withZone());
        return fields.schema();
    }

    /** One table for every grain: each grain's dimensions, null where a grain has none. */
    static Schema tooLate() {
        Fields fields = new Fields();
        fields.required("grain", Types.StringType.get());
        fields.required("window_start", Types.TimestampType.withZone());
        Set<String> dimensions = new LinkedHashSet<>();
        for (Grain grain : Grain.values()) {
            dimensions.addAll(grain.dimensions().subList(1, grain.dimensions().size()));
        }
        for (String dimension : dimensions) {
            fields.optional(dimension, Types.StringType.get());
        }
        fields.required("events", Types.LongType.get());
        fields.required("seen_at", Types.TimestampType.withZone());
        return fields.schema();
    }

    /**
     * The daily usage of a tenant in a region. The counts follow the catalog's definitions of
     * requests, successes and bytes out; unlike the KPI rows they count every distinct request of
     * the day, too-late ones included: a bill counts what was served.
     */
    static Schema tenantUsage() {
        Fields fields = new Fields();
        fields.required("usage_day", Types.TimestampType.withZone());
        fields.required("tenant_token", Types.StringType.get());
        fields.required("region", Types.StringType.get());
        fields.required(MetricCatalog.REQUESTS.name(), Types.LongType.get());
        fields.required(MetricCatalog.SUCCESSES.name(), Types.LongType.get());
        fields.required(MetricCatalog.BYTES_OUT.name(), Types.LongType.get());
        fields.required("peak_requests_per_minute", Types.LongType.get());
        return fields.schema();
    }

    private static final class Fields {
        private final List<Types.NestedField> fields = new ArrayList<>();

        void required(String name, Type type) {
            fields.add(Types.NestedField.required(fields.size() + 1, name, type));
        }

        void optional(String name, Type type) {
            fields.add(Types.NestedField.optional(fields.size() + 1, name, type));
        }

        Schema schema() {
            return new Schema(fields);
        }
    }
}

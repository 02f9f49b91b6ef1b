package dev.servicehealth.bench;

import dev.servicehealth.aggregator.kpi.KpiAggregate;
import dev.servicehealth.aggregator.kpi.KpiKey;
import dev.servicehealth.aggregator.kpi.KpiPartial;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.catalog.Grain;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * The baseline the aggregator is measured against: Flink's keyed tumbling event-time window per KPI
 * row with an aggregate function, so the window's state (counters and serialized t-digests) is
 * read, updated and written back in RocksDB for every event; no pre-aggregation.
 */
final class NaiveKpiWindow {
    private NaiveKpiWindow() {}

    /** One event on its way to one row of one grain. */
    record RowEvent(KpiKey key, RequestEvent event) {}

    /** Adds each event to the row's stored aggregate. */
    static final class PerEventAggregate
            implements AggregateFunction<RowEvent, KpiPartial, KpiPartial> {
        private static final long serialVersionUID = 1L;

        @Override
        public KpiPartial createAccumulator() {
            return null;
        }

        @Override
        public KpiPartial add(RowEvent value, KpiPartial accumulator) {
            KpiAggregate aggregate =
                    accumulator == null
                            ? KpiAggregate.empty(Grain.SERVICE)
                            : accumulator.aggregate();
            aggregate.add(value.event());
            return KpiPartial.of(value.key(), aggregate);
        }

        @Override
        public KpiPartial getResult(KpiPartial accumulator) {
            return accumulator;
        }

        @Override
        public KpiPartial merge(KpiPartial a, KpiPartial b) {
            KpiAggregate merged = a.aggregate();
            merged.merge(b.aggregate());
            return KpiPartial.of(a.key(), merged);
        }
    }
}

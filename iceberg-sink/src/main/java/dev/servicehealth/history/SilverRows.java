package dev.servicehealth.history;

import dev.servicehealth.model.AuthOutcome;
import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.MetricSample;
import dev.servicehealth.model.Region;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.RequestSource;
import dev.servicehealth.model.StatusEvent;
import dev.servicehealth.model.TenantTier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/**
 * Silver rows: the dedup job's events with typed columns. The Kafka timestamp of a deduplicated
 * event is the pipeline clock it was read at (decision 0009), kept so that a replay from silver can
 * decide lateness as the live run did.
 */
final class SilverRows {
    private SilverRows() {}

    static RowMapper requests() {
        return new Decoding(HistoryTable.REQUESTS) {
            private static final long serialVersionUID = 1L;

            @Override
            GenericRowData row(TopicRecord record) {
                RequestEvent e = EventCodec.decodeRequest(record.value());
                boolean gateway = e.source() == RequestSource.GATEWAY;
                return GenericRowData.of(
                        string(e.source().name()),
                        string(e.requestId()),
                        string(e.tenantToken()),
                        string(e.tenantTier().name()),
                        string(e.region().name()),
                        string(e.availabilityZone()),
                        string(e.product()),
                        string(e.service()),
                        string(e.endpoint()),
                        gateway ? e.httpStatus() : null,
                        orNull(e.latencyMs()),
                        e.bytesOut(),
                        string(e.userAgent()),
                        TimestampData.fromEpochMillis(e.eventTimeMs()),
                        TimestampData.fromEpochMillis(e.ingestTimeMs()),
                        e.authOutcome() == null ? null : string(e.authOutcome().name()),
                        orNull(e.tokenMintLatencyMs()),
                        string(e.dependency()),
                        TimestampData.fromEpochMillis(record.timestampMs()));
            }
        };
    }

    /**
     * The event a {@code silver.requests} row holds, for batch jobs that apply the catalog's
     * definitions to history as the streaming jobs apply them live.
     */
    static RequestEvent requestEvent(RowData row) {
        return new RequestEvent(
                RequestSource.valueOf(row.getString(0).toString()),
                row.getString(1).toString(),
                row.getString(2).toString(),
                TenantTier.valueOf(row.getString(3).toString()),
                Region.valueOf(row.getString(4).toString()),
                text(row, 5),
                text(row, 6),
                text(row, 7),
                text(row, 8),
                row.isNullAt(9) ? 0 : row.getInt(9),
                row.isNullAt(10) ? Double.NaN : row.getDouble(10),
                row.getLong(11),
                text(row, 12),
                row.getTimestamp(13, 6).getMillisecond(),
                row.getTimestamp(14, 6).getMillisecond(),
                row.isNullAt(15) ? null : AuthOutcome.valueOf(row.getString(15).toString()),
                row.isNullAt(16) ? Double.NaN : row.getDouble(16),
                text(row, 17));
    }

    private static String text(RowData row, int field) {
        return row.isNullAt(field) ? "" : row.getString(field).toString();
    }

    static RowMapper metricSamples() {
        return new Decoding(HistoryTable.METRIC_SAMPLES) {
            private static final long serialVersionUID = 1L;

            @Override
            GenericRowData row(TopicRecord record) {
                MetricSample s = EventCodec.decodeMetric(record.value());
                Map<StringData, StringData> labels = new HashMap<>();
                // a label may be empty; the map's values are required, so never null
                s.labels()
                        .forEach(
                                (name, value) ->
                                        labels.put(
                                                StringData.fromString(name),
                                                StringData.fromString(value)));
                return GenericRowData.of(
                        string(s.metricName()),
                        string(s.seriesKey()),
                        new GenericMapData(labels),
                        string(s.region().name()),
                        string(s.service()),
                        TimestampData.fromEpochMillis(s.timestampMs()),
                        s.value(),
                        TimestampData.fromEpochMillis(s.ingestTimeMs()),
                        TimestampData.fromEpochMillis(record.timestampMs()));
            }
        };
    }

    static RowMapper statusEvents() {
        return new Decoding(HistoryTable.STATUS_EVENTS) {
            private static final long serialVersionUID = 1L;

            @Override
            GenericRowData row(TopicRecord record) {
                StatusEvent e = EventCodec.decodeStatus(record.value());
                return GenericRowData.of(
                        string(e.eventId()),
                        string(e.kind().name()),
                        string(e.origin()),
                        e.region() == null ? null : string(e.region().name()),
                        string(e.service()),
                        string(e.endpoint()),
                        TimestampData.fromEpochMillis(e.eventTimeMs()),
                        string(e.summary()),
                        string(e.version()),
                        TimestampData.fromEpochMillis(e.ingestTimeMs()));
            }
        };
    }

    /** A mapper of wire records into one table; bytes the codec rejects are unreadable. */
    private abstract static class Decoding implements RowMapper {
        private static final long serialVersionUID = 1L;

        private final HistoryTable table;

        Decoding(HistoryTable table) {
            this.table = table;
        }

        abstract GenericRowData row(TopicRecord record);

        @Override
        public List<HistoryTable> tables() {
            return List.of(table);
        }

        @Override
        public TableRow map(TopicRecord record, UnknownColumns unknownColumns)
                throws UnreadableRecordException {
            GenericRowData row;
            try {
                row = row(record);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new UnreadableRecordException(
                        "not a " + table.identifier() + " event: " + e.getMessage(), e);
            }
            return TableRow.checked(table, row);
        }
    }

    /** Empty strings are absent on the wire (proto3): null in the table. */
    private static StringData string(String value) {
        return value == null || value.isEmpty() ? null : StringData.fromString(value);
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }
}

package dev.servicehealth.serving;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A query result as a readable table: window starts as UTC minutes, counters as integers, and for
 * each group of summed counters ({@code requests}, {@code requests_now}, …) the availability and
 * the 5xx rate computed from the sums.
 */
final class ResultTable {
    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECOND =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final List<String> SUFFIXES = List.of("", "_now", "_before");

    private final List<String> header;
    private final List<List<String>> cells;

    private ResultTable(List<String> header, List<List<String>> cells) {
        this.header = header;
        this.cells = cells;
    }

    static ResultTable of(QueryResult result) {
        List<String> header = new ArrayList<>(result.columns());
        List<String> ratios = new ArrayList<>();
        for (String suffix : SUFFIXES) {
            if (header.contains("requests" + suffix) && header.contains("successes" + suffix)) {
                ratios.add(suffix);
            }
        }
        for (String suffix : ratios) {
            header.add("avail%" + suffix);
            if (result.columns().contains("server_errors" + suffix)) {
                header.add("5xx%" + suffix);
            }
        }
        List<List<String>> cells = new ArrayList<>();
        for (int i = 0; i < result.rows().size(); i++) {
            List<String> row = new ArrayList<>();
            for (String column : result.columns()) {
                row.add(format(column, result.value(i, column)));
            }
            for (String suffix : ratios) {
                double requests = result.value(i, "requests" + suffix).asDouble();
                row.add(percent(result.value(i, "successes" + suffix).asDouble(), requests));
                if (result.columns().contains("server_errors" + suffix)) {
                    row.add(
                            percent(
                                    result.value(i, "server_errors" + suffix).asDouble(),
                                    requests));
                }
            }
            cells.add(row);
        }
        return new ResultTable(header, cells);
    }

    void print(PrintStream out) {
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            for (List<String> row : cells) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        out.println(line(header, widths));
        for (List<String> row : cells) {
            out.println(line(row, widths));
        }
    }

    private static String line(List<String> values, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < values.size(); c++) {
            if (c > 0) {
                line.append("  ");
            }
            line.append(String.format(Locale.ROOT, "%-" + widths[c] + "s", values.get(c)));
        }
        return line.toString().stripTrailing();
    }

    private static String format(String column, JsonNode value) {
        if (value == null || value.isNull()) {
            return "-";
        }
        if (column.equals("window_start")) {
            return MINUTE.format(Instant.ofEpochMilli(value.asLong()));
        }
        if (column.equals("event_time_ms") || column.endsWith("_at")) {
            return SECOND.format(Instant.ofEpochMilli(value.asLong()));
        }
        if (value.isNumber()) {
            double number = value.asDouble();
            return number == Math.rint(number) && Math.abs(number) < 1e15
                    ? Long.toString((long) number)
                    : String.format(Locale.ROOT, "%.1f", number);
        }
        // an empty sketch merges to NaN: no latency to show
        return value.asText().equals("NaN") ? "-" : value.asText();
    }

    private static String percent(double part, double whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.2f", 100 * part / whole);
    }
}

package dev.servicehealth.model.reference;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The small CSV dialect of the seeds folder: '#' comment lines, one header line, comma separated
 * values without quoting (no seed value contains a comma).
 */
final class CsvTable {
    private final String name;
    private final List<String> header;
    private final List<Map<String, String>> rows;

    private CsvTable(String name, List<String> header, List<Map<String, String>> rows) {
        this.name = name;
        this.header = header;
        this.rows = rows;
    }

    static CsvTable read(String name, InputStream in) {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> header = null;
            List<Map<String, String>> rows = new ArrayList<>();
            String line;
            int lineNo = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                List<String> cells = Arrays.stream(line.split(",", -1)).map(String::trim).toList();
                if (header == null) {
                    header = cells;
                    continue;
                }
                if (cells.size() != header.size()) {
                    throw new IllegalArgumentException(
                            name + " line " + lineNo + ": expected " + header.size() + " columns");
                }
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < cells.size(); i++) {
                    row.put(header.get(i), cells.get(i));
                }
                rows.add(row);
            }
            if (header == null) {
                throw new IllegalArgumentException(name + " has no header line");
            }
            return new CsvTable(name, header, rows);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    List<Map<String, String>> rows() {
        return rows;
    }

    String require(Map<String, String> row, String column) {
        String value = row.get(column);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(
                    name + ": column '" + column + "' missing in " + row);
        }
        return value;
    }

    List<String> header() {
        return header;
    }
}

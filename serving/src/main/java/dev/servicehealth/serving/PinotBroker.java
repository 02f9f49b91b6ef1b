package dev.servicehealth.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs SQL on a Pinot broker. */
public final class PinotBroker {
    private final URI query;
    private final PinotHttp http;

    public PinotBroker(URI base, Duration timeout) {
        this.query = base.resolve("/query/sql");
        this.http = new PinotHttp(timeout);
    }

    /**
     * @throws PinotException if Pinot reports any exception for the query, even with partial rows:
     *     an incident answer from part of the data would mislead
     */
    public QueryResult query(String sql) throws IOException {
        ObjectNode body = PinotHttp.JSON.createObjectNode().put("sql", sql);
        JsonNode response = http.post(query, body);
        JsonNode exceptions = response.path("exceptions");
        if (exceptions.size() > 0) {
            JsonNode first = exceptions.get(0);
            throw new PinotException(
                    "Pinot broker "
                            + query
                            + " refused the query: error "
                            + first.path("errorCode").asText()
                            + ", "
                            + firstLines(first.path("message").asText())
                            + (exceptions.size() > 1
                                    ? " (and " + (exceptions.size() - 1) + " more)"
                                    : ""));
        }
        JsonNode table = response.path("resultTable");
        List<String> columns = new ArrayList<>();
        table.path("dataSchema").path("columnNames").forEach(c -> columns.add(c.asText()));
        List<List<JsonNode>> rows = new ArrayList<>();
        for (JsonNode row : table.path("rows")) {
            List<JsonNode> values = new ArrayList<>(columns.size());
            row.forEach(values::add);
            rows.add(values);
        }
        return new QueryResult(
                columns,
                rows,
                response.path("timeUsedMs").asLong(),
                response.path("numDocsScanned").asLong());
    }

    /**
     * Pinot's error message without its stack trace, on one line: the error's name and the
     * exception's message ({@code QueryExecutionError:} then {@code java.lang…: what}).
     */
    private static String firstLines(String message) {
        return message.lines()
                .map(String::trim)
                .filter(line -> !line.isEmpty())
                .takeWhile(line -> !line.startsWith("at "))
                .limit(2)
                .reduce((a, b) -> a + " " + b)
                .orElse("");
    }
}

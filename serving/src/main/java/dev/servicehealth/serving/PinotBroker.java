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
            throw new PinotException("query failed: " + exceptions + "\n" + sql);
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
}

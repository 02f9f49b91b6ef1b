package dev.servicehealth.serving;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/**
 * Who asked which query about which tenant, and when: one JSON line per query that names a tenant,
 * written and forced to disk before the query runs, so that no tenant is looked at without a
 * record. The tenant is recorded by its token; the clear id typed on the command line is not kept.
 */
public final class AuditLog {
    private final Path file;

    public AuditLog(Path file) {
        this.file = file;
    }

    /**
     * @throws IOException if the record cannot be written: the caller must not run the query
     */
    public void record(
            String user, IncidentQuery query, String tenantToken, Map<String, ?> parameters)
            throws IOException {
        ObjectNode line = PinotHttp.JSON.createObjectNode();
        line.put("at", Instant.now().toString());
        line.put("user", user);
        line.put("query", query.commandName());
        line.put("tenant_token", tenantToken);
        line.set("parameters", PinotHttp.JSON.valueToTree(parameters));
        byte[] bytes =
                (PinotHttp.JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (FileChannel channel =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(bytes));
            channel.force(true);
        }
    }
}

package dev.servicehealth.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** JSON over HTTP to a Pinot controller or broker. */
final class PinotHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http =
            HttpClient.newBuilder()
                    // Pinot's HTTP server hangs on the client's HTTP/2 upgrade request
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(CONNECT_TIMEOUT)
                    .build();
    private final Duration timeout;

    PinotHttp(Duration timeout) {
        this.timeout = timeout;
    }

    JsonNode get(URI uri) throws IOException {
        return send(HttpRequest.newBuilder(uri).GET(), false);
    }

    /** The resource, or a JSON null if Pinot answers 404 (it does not exist yet). */
    JsonNode getIfFound(URI uri) throws IOException {
        return send(HttpRequest.newBuilder(uri).GET(), true);
    }

    JsonNode post(URI uri, JsonNode body) throws IOException {
        return send(
                HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))),
                false);
    }

    private JsonNode send(HttpRequest.Builder request, boolean notFoundIsNull) throws IOException {
        HttpRequest built = request.timeout(timeout).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new PinotUnreachableException(
                    built.uri(), e.getMessage() == null ? "connection refused" : e.getMessage(), e);
        } catch (HttpConnectTimeoutException e) {
            throw new PinotUnreachableException(
                    built.uri(), "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s", e);
        } catch (HttpTimeoutException e) {
            throw new PinotUnreachableException(
                    built.uri(), "no answer within " + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new PinotUnreachableException(
                    built.uri(), e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(built.method() + " " + built.uri() + " interrupted");
        }
        if (notFoundIsNull && response.statusCode() == 404) {
            return JSON.nullNode();
        }
        if (response.statusCode() / 100 != 2) {
            throw new PinotException(
                    built.method()
                            + " "
                            + built.uri()
                            + " answered "
                            + response.statusCode()
                            + ": "
                            + new String(response.body(), StandardCharsets.UTF_8));
        }
        return JSON.readTree(response.body());
    }
}

package dev.servicehealth.serving;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The files of {@code deploy/pinot}, which the build puts into this module's jar. */
final class Manifests {
    private Manifests() {}

    static JsonNode read(String file) {
        try (InputStream in = Manifests.class.getResourceAsStream("pinot/" + file)) {
            if (in == null) {
                throw new IllegalStateException(
                        "deploy/pinot/" + file + " is not in the serving jar; build with Maven");
            }
            return PinotHttp.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.servicehealth.serving;

import java.io.IOException;
import java.net.URI;

/** No answer from a Pinot controller or broker: the message names the URL and the cause. */
public final class PinotUnreachableException extends IOException {
    public PinotUnreachableException(URI uri, String cause, IOException e) {
        super("cannot reach Pinot at " + uri + ": " + cause, e);
    }
}

package dev.servicehealth.serving;

import java.io.IOException;

/** Pinot refused a request or answered a query with errors; the message carries Pinot's words. */
public class PinotException extends IOException {
    public PinotException(String message) {
        super(message);
    }
}

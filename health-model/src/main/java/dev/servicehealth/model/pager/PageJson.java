package dev.servicehealth.model.pager;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON a page is written as on the pages topic, and read back by the notifier: the record's
 * components by name, times in epoch milliseconds.
 */
public final class PageJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PageJson() {}

    public static byte[] write(ScopePage page) {
        try {
            return JSON.writeValueAsBytes(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page a record holds; a record that is not one fails with the reason. */
    public static ScopePage read(byte[] value) throws IOException {
        return JSON.readValue(value, ScopePage.class);
    }
}

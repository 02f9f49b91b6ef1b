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

    /**
     * The page a record holds; a record that is not one, a field missing or a per-objective array
     * shorter than the objectives, fails with the reason.
     */
    public static ScopePage read(byte[] value) throws IOException {
        ScopePage page = JSON.readValue(value, ScopePage.class);
        if (page.severity() == null
                || page.level() == null
                || page.scope() == null
                || page.state() == null
                || page.objectives() == null
                || page.pairs() == null
                || page.longBurnRates() == null
                || page.shortBurnRates() == null
                || page.budgetLeft() == null
                || page.covered() == null) {
            throw new IOException(
                    "a page without its severity, place, state, objectives, their figures or"
                            + " covered burns");
        }
        int objectives = page.objectives().length;
        if (page.pairs().length != objectives
                || page.longBurnRates().length != objectives
                || page.shortBurnRates().length != objectives
                || page.budgetLeft().length != objectives) {
            throw new IOException(
                    "a page of " + objectives + " objectives without a pair and figures for each");
        }
        return page;
    }
}

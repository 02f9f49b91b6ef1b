package dev.servicehealth.ingest.parse;

/**
 * The fields of one parsed line, by index into the reader's field list. Reused for every record of
 * a reader (one per operator subtask) to keep the hot path free of allocation.
 */
public final class ParsedLine {
    final String[] strings;
    final long[] longs;
    final double[] doubles;
    final boolean[] present;
    int unknownFields;
    int coercedFields;

    ParsedLine(int fieldCount) {
        strings = new String[fieldCount];
        longs = new long[fieldCount];
        doubles = new double[fieldCount];
        present = new boolean[fieldCount];
    }

    void clear() {
        java.util.Arrays.fill(present, false);
        java.util.Arrays.fill(strings, null);
        unknownFields = 0;
        coercedFields = 0;
    }

    public boolean has(int field) {
        return present[field];
    }

    public String string(int field) {
        return strings[field];
    }

    /** INT fields and TIMESTAMP fields (epoch milliseconds). */
    public long longValue(int field) {
        return longs[field];
    }

    public double doubleValue(int field) {
        return doubles[field];
    }

    public int unknownFields() {
        return unknownFields;
    }

    public int coercedFields() {
        return coercedFields;
    }
}

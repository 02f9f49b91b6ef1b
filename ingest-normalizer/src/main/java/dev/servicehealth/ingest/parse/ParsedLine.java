package dev.servicehealth.ingest.parse;

/**
 * The fields of one parsed line, by index into the reader's field list, and how the line differs
 * from the data model (its drift). Reused for every record of a reader (one per operator subtask)
 * to keep the hot path free of allocation; a line without drift allocates nothing.
 */
public final class ParsedLine {
    final String[] strings;
    final long[] longs;
    final double[] doubles;
    final boolean[] present;
    int unknownFields;
    int coercedFields;

    /** Kinds and names of the line's drift, in pairs; at most {@link #MAX_DRIFT} of them. */
    private final DriftKind[] driftKinds = new DriftKind[MAX_DRIFT];

    private final String[] driftNames = new String[MAX_DRIFT];
    private int drifts;

    /** A line with more drift than this reports the first ones: the rest is the same change. */
    static final int MAX_DRIFT = 16;

    /** Longer field names are cut: a name is for a person to read, not a payload. */
    static final int MAX_NAME_LENGTH = 64;

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
        drifts = 0;
    }

    void drift(DriftKind kind, String name) {
        if (drifts < MAX_DRIFT) {
            driftKinds[drifts] = kind;
            driftNames[drifts] =
                    name.length() > MAX_NAME_LENGTH ? name.substring(0, MAX_NAME_LENGTH) : name;
            drifts++;
        }
    }

    /** How many drift observations the line has. */
    public int drifts() {
        return drifts;
    }

    public DriftKind driftKind(int i) {
        return driftKinds[i];
    }

    public String driftName(int i) {
        return driftNames[i];
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

package dev.servicehealth.ingest.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.servicehealth.model.DeadLetterReason;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one flat JSON object with Jackson's streaming parser into a {@link ParsedLine}, matching
 * field names against canonical names and known aliases. Tolerant where it is safe (numbers sent as
 * strings, epoch seconds, ISO-8601 timestamps, unknown fields) and strict where a guess would
 * corrupt a KPI (a status that is not a number, a nested object where a value belongs).
 *
 * <p>Not thread-safe: one instance per operator subtask; the returned line is reused.
 */
public final class FlatJsonReader {
    /** Epoch values below this are seconds: as milliseconds they would be before 1973. */
    private static final double SECONDS_THRESHOLD = 1e11;

    private static final long MIN_TIME_MS = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
    private static final long MAX_TIME_MS = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

    private final JsonFactory factory;
    private final List<FieldSpec> fields;
    private final Map<String, Integer> indexByName = new HashMap<>();

    /** The drift name of each alias ({@code alias → canonical}), made once. */
    private final Map<String, String> renameByAlias = new HashMap<>();

    /** The drift name of each field's conversions, by field and JSON type, made once. */
    private final String[][] retypes;

    private final ParsedLine line;

    public FlatJsonReader(List<FieldSpec> fields) {
        this.fields = List.copyOf(fields);
        this.factory =
                JsonFactory.builder()
                        .streamReadConstraints(
                                StreamReadConstraints.builder()
                                        .maxNestingDepth(16)
                                        .maxStringLength(64 * 1024)
                                        .build())
                        .build();
        for (int i = 0; i < fields.size(); i++) {
            FieldSpec spec = fields.get(i);
            indexByName.put(spec.name(), i);
            for (String alias : spec.aliases()) {
                indexByName.put(alias, i);
                renameByAlias.put(alias, alias + " → " + spec.name());
            }
        }
        this.retypes = new String[fields.size()][];
        for (int i = 0; i < fields.size(); i++) {
            String type = fields.get(i).type().name().toLowerCase(Locale.ROOT);
            String name = fields.get(i).name();
            retypes[i] =
                    new String[] {
                        name + ": string for " + type,
                        name + ": decimal for " + type,
                        name + ": number for " + type
                    };
        }
        this.line = new ParsedLine(fields.size());
    }

    /** Index of a canonical field name, for callers that read the parsed line. */
    public int indexOf(String canonicalName) {
        Integer index = indexByName.get(canonicalName);
        if (index == null || !fields.get(index).name().equals(canonicalName)) {
            throw new IllegalArgumentException("not a canonical field: " + canonicalName);
        }
        return index;
    }

    public ParsedLine read(byte[] json) throws RejectedRecord {
        line.clear();
        try (JsonParser parser = factory.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new RejectedRecord(DeadLetterReason.EMPTY_RECORD, "no JSON value");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new RejectedRecord(
                        DeadLetterReason.NOT_A_JSON_OBJECT, "top-level JSON value is " + first);
            }
            // A bad value is only reported once the whole line proved well-formed: a line cut
            // short in the middle of a number is malformed, not an invalid value.
            RejectedRecord invalidValue = null;
            String name;
            while ((name = parser.nextFieldName()) != null) {
                JsonToken value = parser.nextToken();
                Integer index = indexByName.get(name);
                if (index == null) {
                    line.unknownFields++;
                    line.drift(DriftKind.NEW_FIELD, name);
                    parser.skipChildren();
                    continue;
                }
                String rename = renameByAlias.get(name);
                if (rename != null) {
                    line.drift(DriftKind.RENAMED_FIELD, rename);
                }
                try {
                    readValue(parser, value, index);
                } catch (RejectedRecord rejected) {
                    parser.skipChildren();
                    invalidValue = invalidValue == null ? rejected : invalidValue;
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT) {
                throw new RejectedRecord(DeadLetterReason.MALFORMED_JSON, "object not closed");
            }
            if (parser.nextToken() != null) {
                throw new RejectedRecord(
                        DeadLetterReason.MALFORMED_JSON, "trailing content after the object");
            }
            if (invalidValue != null) {
                throw invalidValue;
            }
        } catch (IOException e) {
            throw new RejectedRecord(DeadLetterReason.MALFORMED_JSON, firstLine(e.getMessage()));
        }
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).required() && !line.present[i]) {
                throw new RejectedRecord(
                        DeadLetterReason.MISSING_REQUIRED_FIELD, fields.get(i).name() + " absent");
            }
        }
        return line;
    }

    private void readValue(JsonParser parser, JsonToken value, int index)
            throws IOException, RejectedRecord {
        FieldSpec spec = fields.get(index);
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
            throw invalid(
                    spec, "a nested " + (value == JsonToken.START_OBJECT ? "object" : "array"));
        }
        switch (spec.type()) {
            case STRING:
                readString(parser, value, index, spec);
                break;
            case INT:
                readInt(parser, value, index, spec);
                break;
            case DOUBLE:
                readDouble(parser, value, index, spec);
                break;
            case TIMESTAMP:
                readTimestamp(parser, value, index, spec);
                break;
            default:
                throw new IllegalStateException(spec.type().name());
        }
    }

    /** A value of another JSON type than the field's, converted: counted, and reported as drift. */
    private void coerced(int index, JsonToken value) {
        line.coercedFields++;
        line.drift(
                DriftKind.TYPE_CHANGED,
                retypes[index][
                        value == JsonToken.VALUE_STRING
                                ? 0
                                : value == JsonToken.VALUE_NUMBER_FLOAT ? 1 : 2]);
    }

    private void readString(JsonParser parser, JsonToken value, int index, FieldSpec spec)
            throws IOException, RejectedRecord {
        if (value == JsonToken.VALUE_STRING) {
            String text = parser.getText().trim();
            if (text.isEmpty()) {
                return;
            }
            line.strings[index] = text;
        } else if (value == JsonToken.VALUE_NUMBER_INT) {
            line.strings[index] = parser.getText();
            coerced(index, value);
        } else {
            throw invalid(spec, "a " + value);
        }
        line.present[index] = true;
    }

    private void readInt(JsonParser parser, JsonToken value, int index, FieldSpec spec)
            throws IOException, RejectedRecord {
        long result;
        if (value == JsonToken.VALUE_NUMBER_INT) {
            result = parser.getLongValue();
        } else if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = parser.getDoubleValue();
            if (d != Math.rint(d) || Math.abs(d) > Long.MAX_VALUE) {
                throw invalid(spec, "fractional " + parser.getText());
            }
            result = (long) d;
            coerced(index, value);
        } else if (value == JsonToken.VALUE_STRING) {
            try {
                result = Long.parseLong(parser.getText().trim());
            } catch (NumberFormatException e) {
                throw invalid(spec, quote(parser.getText()));
            }
            coerced(index, value);
        } else {
            throw invalid(spec, "a " + value);
        }
        line.longs[index] = result;
        line.present[index] = true;
    }

    private void readDouble(JsonParser parser, JsonToken value, int index, FieldSpec spec)
            throws IOException, RejectedRecord {
        double result;
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
            result = parser.getDoubleValue();
        } else if (value == JsonToken.VALUE_STRING) {
            result = parseDouble(parser.getText(), spec);
            coerced(index, value);
        } else {
            throw invalid(spec, "a " + value);
        }
        if (!Double.isFinite(result)) {
            throw invalid(spec, "not finite");
        }
        line.doubles[index] = result;
        line.present[index] = true;
    }

    private void readTimestamp(JsonParser parser, JsonToken value, int index, FieldSpec spec)
            throws IOException, RejectedRecord {
        long epochMs;
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
            epochMs = fromEpochNumber(parser.getDoubleValue());
        } else if (value == JsonToken.VALUE_STRING) {
            String text = parser.getText().trim();
            if (!text.isEmpty()
                    && Character.isDigit(text.charAt(text.length() - 1))
                    && text.indexOf('-') < 0) {
                epochMs = fromEpochNumber(parseDouble(text, spec));
                coerced(index, value);
            } else {
                try {
                    epochMs =
                            DateTimeFormatter.ISO_OFFSET_DATE_TIME
                                    .parse(text, Instant::from)
                                    .toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw invalid(spec, quote(text) + " is not ISO-8601 with an offset");
                }
            }
        } else {
            throw invalid(spec, "a " + value);
        }
        if (epochMs < MIN_TIME_MS || epochMs >= MAX_TIME_MS) {
            throw invalid(spec, epochMs + " ms is outside 2000-2100");
        }
        line.longs[index] = epochMs;
        line.present[index] = true;
    }

    private static long fromEpochNumber(double epoch) {
        return epoch < SECONDS_THRESHOLD ? Math.round(epoch * 1000.0) : Math.round(epoch);
    }

    private static double parseDouble(String text, FieldSpec spec) throws RejectedRecord {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw invalid(spec, quote(text));
        }
    }

    private static RejectedRecord invalid(FieldSpec spec, String what) {
        return new RejectedRecord(
                DeadLetterReason.INVALID_FIELD_VALUE,
                spec.name() + ": " + what + " is not a valid " + spec.type().name().toLowerCase());
    }

    private static String quote(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return "\"" + shown + "\"";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unparseable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

package dev.servicehealth.ingest.parse;

import java.util.List;

/** A field of a flat JSON source line: its canonical name, the aliases seen in drift, its type. */
public record FieldSpec(String name, FieldType type, boolean required, List<String> aliases) {

    public enum FieldType {
        STRING,
        INT,
        DOUBLE,
        TIMESTAMP
    }

    public static FieldSpec required(String name, FieldType type, String... aliases) {
        return new FieldSpec(name, type, true, List.of(aliases));
    }

    public static FieldSpec optional(String name, FieldType type, String... aliases) {
        return new FieldSpec(name, type, false, List.of(aliases));
    }
}

package dev.servicehealth.dedup;

import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.RequestSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The {@code source} tag of a dropped copy, read from its Kafka key only when a duplicate is found
 * (request keys start with {@code GATEWAY:} or {@code AUTH:}). The tag values are a fixed set.
 */
final class EventSource {
    static final String UNKNOWN = "unknown";
    private static final List<String> REQUEST_TAGS =
            List.of(tag(RequestSource.GATEWAY), tag(RequestSource.AUTH), UNKNOWN);

    private EventSource() {}

    static List<String> tagsOf(EventKind kind) {
        return switch (kind) {
            case REQUEST -> REQUEST_TAGS;
            case METRIC_SAMPLE -> List.of("metrics");
            case STATUS -> List.of("status");
        };
    }

    static String of(NormalizedEvent event) {
        return switch (event.kind()) {
            case REQUEST -> requestSource(event.key());
            case METRIC_SAMPLE -> "metrics";
            case STATUS -> "status";
        };
    }

    private static String requestSource(byte[] key) {
        if (key == null) {
            return UNKNOWN;
        }
        String text = new String(key, StandardCharsets.UTF_8);
        int colon = text.indexOf(':');
        if (colon > 0) {
            for (RequestSource source : RequestSource.values()) {
                if (source.name().equals(text.substring(0, colon))) {
                    return tag(source);
                }
            }
        }
        return UNKNOWN;
    }

    private static String tag(RequestSource source) {
        return source.name().toLowerCase(Locale.ROOT);
    }
}

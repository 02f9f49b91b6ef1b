package dev.servicehealth.model.reference;

import java.util.Locale;

/**
 * How a raw request path becomes an endpoint value when no catalog template names it: the query
 * string, the fragment, empty segments and the trailing slash go; API versions stay as their own
 * value in one spelling ({@code V59.0} → {@code v59}), since on-call engineers ask whether only one
 * version is broken; record ids, numbers, UUIDs, hashes, opaque tokens and e-mail addresses become
 * {@code {id}}, so that one endpoint is one value whatever it was called with; the other segments
 * are lower-cased. The catalog's {@code {version}} placeholder uses the same version rules.
 */
public final class EndpointPaths {
    public static final String ID = "{id}";

    private EndpointPaths() {}

    /** The path without query string, fragment and trailing slash. */
    public static String pathOnly(String rawPath) {
        int end = rawPath.length();
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        if (end > 1 && rawPath.charAt(end - 1) == '/') {
            end--;
        }
        return end == rawPath.length() ? rawPath : rawPath.substring(0, end);
    }

    /** The endpoint value of a path no catalog template matches. */
    public static String derive(String rawPath) {
        String path = pathOnly(rawPath);
        StringBuilder endpoint = new StringBuilder(path.length());
        int start = 0;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            if (end > start) {
                endpoint.append('/').append(segmentValue(path, start, end));
            }
            start = end + 1;
        }
        return endpoint.length() == 0 ? "/" : endpoint.toString();
    }

    /** Whether {@code path[start, end)} is an API version: {@code v} and numbers joined by dots. */
    public static boolean isVersion(String path, int start, int end) {
        if (end - start < 2 || (path.charAt(start) != 'v' && path.charAt(start) != 'V')) {
            return false;
        }
        boolean digitBefore = false;
        for (int i = start + 1; i < end; i++) {
            char c = path.charAt(i);
            if (c >= '0' && c <= '9') {
                digitBefore = true;
            } else if (c == '.' && digitBefore && i + 1 < end) {
                digitBefore = false;
            } else {
                return false;
            }
        }
        return digitBefore;
    }

    /**
     * One spelling of a version: lower-case {@code v}, trailing {@code .0} parts dropped ({@code
     * v59.0} and {@code v59} are the same API version).
     */
    public static String canonicalVersion(String path, int start, int end) {
        int last = end;
        while (last - start > 3 && path.charAt(last - 1) == '0' && path.charAt(last - 2) == '.') {
            last -= 2;
        }
        return "v" + path.substring(start + 1, last);
    }

    private static String segmentValue(String path, int start, int end) {
        if (isVersion(path, start, end)) {
            return canonicalVersion(path, start, end);
        }
        String segment = path.substring(start, end);
        return isId(segment) ? ID : segment.toLowerCase(Locale.ROOT);
    }

    /** Whether a segment names one record rather than a kind of resource. */
    static boolean isId(String segment) {
        int length = segment.length();
        int digits = 0;
        int hex = 0;
        int other = 0;
        for (int i = 0; i < length; i++) {
            char c = segment.charAt(i);
            if (c == '@') {
                return true;
            }
            if (c >= '0' && c <= '9') {
                digits++;
                hex++;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                    hex++;
                }
            } else {
                other++;
            }
        }
        if (digits == length) {
            return true;
        }
        if (isUuid(segment)) {
            return true;
        }
        // Salesforce record ids: 15 or 18 letters and digits, a 3-character key prefix first
        if ((length == 15 || length == 18) && other == 0 && digits > 0) {
            return true;
        }
        if (length >= 16 && hex == length) {
            return true;
        }
        // opaque tokens: long, with digits, so not a word
        return length >= 24 && digits > 0;
    }

    private static boolean isUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }
}

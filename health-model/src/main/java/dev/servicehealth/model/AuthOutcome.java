package dev.servicehealth.model;

import java.util.Locale;
import java.util.Optional;

/** Result of one auth-service operation (login or token mint). */
public enum AuthOutcome {
    SUCCESS,
    /** The caller presented bad credentials: a login failure, but not a failure of the service. */
    INVALID_CREDENTIALS,
    DEPENDENCY_ERROR,
    TIMEOUT,
    INTERNAL_ERROR;

    /** True when the auth service, not the caller, failed: these count as auth failures. */
    public boolean isServiceFailure() {
        return this == DEPENDENCY_ERROR || this == TIMEOUT || this == INTERNAL_ERROR;
    }

    public static Optional<AuthOutcome> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "success":
            case "ok":
                return Optional.of(SUCCESS);
            case "invalid_credentials":
            case "bad_credentials":
                return Optional.of(INVALID_CREDENTIALS);
            case "dependency_error":
                return Optional.of(DEPENDENCY_ERROR);
            case "timeout":
                return Optional.of(TIMEOUT);
            case "internal_error":
            case "error":
                return Optional.of(INTERNAL_ERROR);
            default:
                return Optional.empty();
        }
    }
}

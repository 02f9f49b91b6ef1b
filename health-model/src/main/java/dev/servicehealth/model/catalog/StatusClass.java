package dev.servicehealth.model.catalog;

/**
 * The one rule for what an HTTP status means for availability. 2xx and 3xx succeed; 4xx are the
 * caller's fault and still count as served, except 429, where we refused service; 5xx fail.
 */
public enum StatusClass {
    SUCCESS("2xx, 3xx", true),
    CLIENT_ERROR("4xx except 429", true),
    THROTTLED("429", false),
    SERVER_ERROR("5xx", false),
    INVALID("anything outside 100-599", false);

    private final String statuses;
    private final boolean available;

    StatusClass(String statuses, boolean available) {
        this.statuses = statuses;
        this.available = available;
    }

    public static StatusClass of(int httpStatus) {
        if (httpStatus >= 100 && httpStatus < 400) {
            return SUCCESS;
        }
        if (httpStatus == 429) {
            return THROTTLED;
        }
        if (httpStatus >= 400 && httpStatus < 500) {
            return CLIENT_ERROR;
        }
        if (httpStatus >= 500 && httpStatus < 600) {
            return SERVER_ERROR;
        }
        return INVALID;
    }

    public String statuses() {
        return statuses;
    }

    /** Whether a request in this class counts as successful for availability. */
    public boolean available() {
        return available;
    }
}

package dev.servicehealth.model;

/** Which system logged a request event. The same request_id may appear once per source. */
public enum RequestSource {
    GATEWAY,
    AUTH
}

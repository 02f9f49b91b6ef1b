package dev.servicehealth.model.reference;

/** What the service catalog says about an endpoint: its template, product and owning service. */
public record EndpointInfo(String template, String product, String service)
        implements java.io.Serializable {}

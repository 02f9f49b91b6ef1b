package dev.servicehealth.model.reference;

/**
 * What the service catalog says about an endpoint: its template, product and owning service; for a
 * path outside the catalog, its derived endpoint with product and service {@value #UNMAPPED}.
 */
public record EndpointInfo(String template, String product, String service)
        implements java.io.Serializable {
    public static final String UNMAPPED = "unmapped";

    /** The endpoint of a path outside the catalog. */
    public static EndpointInfo unmapped(String endpoint) {
        return new EndpointInfo(endpoint, UNMAPPED, UNMAPPED);
    }

    /** Whether a catalog template named it. */
    public boolean catalogued() {
        return !(UNMAPPED.equals(product) && UNMAPPED.equals(service));
    }
}

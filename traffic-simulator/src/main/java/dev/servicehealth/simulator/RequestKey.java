package dev.servicehealth.simulator;

import dev.servicehealth.model.RequestSource;

/** The identity of a logical request event: a gateway and an auth line may share a request id. */
public record RequestKey(RequestSource source, String requestId) {

    /** The same string as {@code RequestEvent.dedupKey()}. */
    public String dedupKey() {
        return source.name() + ":" + requestId;
    }
}

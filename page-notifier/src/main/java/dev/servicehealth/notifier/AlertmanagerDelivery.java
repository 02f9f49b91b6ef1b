package dev.servicehealth.notifier;

import dev.servicehealth.model.pager.AlertState;
import dev.servicehealth.model.pager.ScopePage;
import java.net.URI;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one Alertmanager of the cluster still has to be sent, kept apart for each, as Prometheus
 * does: an Alertmanager that is down is retried on its own, and the others are not sent everything
 * again meanwhile.
 */
final class AlertmanagerDelivery {
    private final URI url;
    private final Map<String, ScopePage> unsentFiring = new LinkedHashMap<>();
    private final Map<String, ScopePage> pendingResolve = new LinkedHashMap<>();
    private final Map<String, Long> firingSince = new HashMap<>();
    private long lastResendMs = Long.MIN_VALUE;
    private long nextAttemptMs = Long.MIN_VALUE;

    AlertmanagerDelivery(URI url) {
        this.url = url;
    }

    URI url() {
        return url;
    }

    void fired(ScopePage page) {
        unsentFiring.put(page.pageKey(), page);
        pendingResolve.remove(page.pageKey());
    }

    /**
     * @param history read back at start: its firing, if not sent yet, is not sent at all
     */
    void resolved(ScopePage page, boolean history) {
        if (history) {
            unsentFiring.remove(page.pageKey());
        }
        pendingResolve.put(page.pageKey(), page);
    }

    /** A resolve read back at start for a page that ended long ago: nothing to send. */
    void forget(String pageKey) {
        unsentFiring.remove(pageKey);
        pendingResolve.remove(pageKey);
        firingSince.remove(pageKey);
    }

    /**
     * What to post now: the firing pages not sent yet, every firing page when a re-send is due, and
     * the resolves whose firing has been at this Alertmanager for {@code minFiringMs} (a firing not
     * sent yet goes first). Empty while a failed post waits for its retry.
     */
    Map<String, ScopePage> due(
            long nowMs, long resendMs, long minFiringMs, Collection<ScopePage> firing) {
        Map<String, ScopePage> batch = new LinkedHashMap<>();
        if (nowMs < nextAttemptMs) {
            return batch;
        }
        batch.putAll(unsentFiring);
        if (resendDue(nowMs, resendMs)) {
            for (ScopePage page : firing) {
                batch.putIfAbsent(page.pageKey(), page);
            }
        }
        for (Map.Entry<String, ScopePage> resolve : pendingResolve.entrySet()) {
            Long since = firingSince.get(resolve.getKey());
            if (!unsentFiring.containsKey(resolve.getKey())
                    && (since == null || nowMs - since >= minFiringMs)) {
                batch.put(resolve.getKey(), resolve.getValue());
            }
        }
        return batch;
    }

    boolean resendDue(long nowMs, long resendMs) {
        return lastResendMs == Long.MIN_VALUE || nowMs - lastResendMs >= resendMs;
    }

    void accepted(Map<String, ScopePage> batch, long nowMs, long resendMs) {
        for (ScopePage page : batch.values()) {
            if (page.state() == AlertState.RESOLVED) {
                pendingResolve.remove(page.pageKey());
                firingSince.remove(page.pageKey());
            } else {
                unsentFiring.remove(page.pageKey());
                firingSince.putIfAbsent(page.pageKey(), nowMs);
            }
        }
        if (resendDue(nowMs, resendMs)) {
            lastResendMs = nowMs;
        }
    }

    void failed(long nowMs, long retryMs) {
        nextAttemptMs = nowMs + retryMs;
    }
}

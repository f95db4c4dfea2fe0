package io.partnerhooks.server.ui;

import static io.partnerhooks.server.ui.Html.esc;

import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.Endpoint;
import java.time.Instant;

/**
 * Why a pending delivery has not gone yet, and when it will: behind an earlier delivery of its
 * ordering key, its endpoint switched off, cooling down after failures, waiting for its retry
 * time, or due and paced by the rate limit. Pure: the delivery, its endpoint (null once
 * deleted) and the time, in; escaped HTML out. The first reason that applies is the one given,
 * in the order the dispatcher would meet them.
 */
final class Held {
    private Held() {}

    static String explain(Delivery d, Endpoint ep, Instant now) {
        if (d.heldBy() != null) {
            return "<b>Held</b> behind <code>" + esc(d.heldBy().value())
                    + "</code>, the earlier delivery of its ordering key"
                    + " (ordered endpoint): sent once that one is delivered or finally fails.";
        }
        if (ep == null) {
            return "<b>Held</b>: its endpoint was deleted; it will not be sent.";
        }
        if (!ep.enabled()) {
            return "<b>Held</b>: the endpoint is disabled ("
                    + esc(ep.health().disabledReason() != null ? ep.health().disabledReason() : "by the partner")
                    + "). Nothing is sent to it until it is enabled again; then this delivery goes.";
        }
        Instant due = d.nextAttemptAt();
        if (ep.health().inCooldown()) {
            Instant probe = ep.health().probeAfter();
            Instant goes = due == null || probe.isAfter(due) ? probe : due;
            return "<b>Held</b>: the endpoint is in cooldown after "
                    + esc(ep.health().consecutiveFailures())
                    + " failures in a row; it gets one probe at a time, none before " + when(now, probe)
                    + ". This delivery goes " + goes(now, goes)
                    + " at the earliest, once a probe succeeds or its turn comes.";
        }
        if (due != null && due.isAfter(now)) {
            return (d.attempts().isEmpty()
                            ? "<b>Scheduled</b>: first attempt "
                            : "<b>Waiting to retry</b> after attempt "
                                    + esc(d.attemptCount()) + " ("
                                    + esc(EndpointPages.answer(
                                            d.attempts().get(d.attempts().size() - 1)))
                                    + "): next attempt ")
                    + when(now, due) + ".";
        }
        if (ep.limits().ratePerSecond() != null) {
            return "<b>Due</b> since " + when(now, due) + "; paced by the endpoint's rate limit of "
                    + esc(ep.limits().ratePerSecond()) + " per second, it goes when its turn comes.";
        }
        return "<b>Due</b> since " + when(now, due) + "; it goes as soon as one of the endpoint's "
                + esc(ep.limits().maxInFlight()) + " in-flight slots is free.";
    }

    /** Relative and exact: "in 3 min (2026-12-04T01:00:00Z)". */
    static String when(Instant now, Instant t) {
        return t == null ? "now" : Html.ago(now, t) + " (" + esc(t) + ")";
    }

    private static String goes(Instant now, Instant t) {
        return t.isAfter(now) ? when(now, t) : "any moment now";
    }
}

package io.partnerhooks.core.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The channel state machine, pure. A channel moves forward one step at a time through
 * created → submitted → ready → running → live; beside that it carries a permission flag, a
 * billing start, a cancellation (requested → withdrawn | completed), template messaging and its
 * hosting platform. Repeating the current state is a no-op; anything impossible is refused with the
 * moves that are possible now. A completed cancellation ends the channel: nothing moves after it.
 */
public final class ChannelLifecycle {
    public static final List<String> STATUSES = List.of("created", "submitted", "ready", "running", "live");

    /** The part of a channel the state machine reads and writes. */
    public record State(
            String status,
            String permission,
            boolean billingStarted,
            String cancellation,
            boolean templateMessaging,
            String hosting) {
        public static State initial() {
            return new State("created", null, false, null, false, "cloud_api");
        }
    }

    public sealed interface Result {
        /** Nothing to do: the channel is already there. */
        record NoOp() implements Result {}

        record Moved(State next, String eventType, Map<String, Object> extra) implements Result {}

        record Refused(String why, List<String> allowed) implements Result {}
    }

    /** Every "to" value a transition may name. */
    public static final List<String> TARGETS = List.of(
            "submitted",
            "ready",
            "running",
            "live",
            "permission_granted",
            "permission_revoked",
            "billing_started",
            "cancellation_requested",
            "cancellation_withdrawn",
            "cancellation_completed",
            "template_messaging_enabled",
            "migrated_to_cloud_api",
            "migrated_to_on_premise");

    private ChannelLifecycle() {}

    public static Result apply(State s, String to) {
        if (!TARGETS.contains(to)) {
            return new Result.Refused("unknown transition '" + to + "'", allowed(s));
        }
        if ("completed".equals(s.cancellation())) {
            return new Result.Refused("the channel's cancellation is completed; it cannot change any more", List.of());
        }
        int at = STATUSES.indexOf(s.status());
        int target = STATUSES.indexOf(to);
        if (target >= 0) {
            if (target == at) {
                return new Result.NoOp();
            }
            if (target != at + 1) {
                return new Result.Refused("a " + s.status() + " channel cannot become " + to, allowed(s));
            }
            return moved(
                    new State(
                            to,
                            s.permission(),
                            s.billingStarted(),
                            s.cancellation(),
                            s.templateMessaging(),
                            s.hosting()),
                    "channel." + to,
                    Map.of());
        }
        return switch (to) {
            case "permission_granted", "permission_revoked" -> {
                String p = to.substring("permission_".length());
                if (p.equals(s.permission())) {
                    yield new Result.NoOp();
                }
                if (p.equals("revoked") && s.permission() == null) {
                    yield new Result.Refused("permission was never granted", allowed(s));
                }
                yield moved(
                        new State(
                                s.status(),
                                p,
                                s.billingStarted(),
                                s.cancellation(),
                                s.templateMessaging(),
                                s.hosting()),
                        "channel.permission." + p,
                        Map.of());
            }
            case "billing_started" ->
                s.billingStarted()
                        ? new Result.NoOp()
                        : moved(
                                new State(
                                        s.status(),
                                        s.permission(),
                                        true,
                                        s.cancellation(),
                                        s.templateMessaging(),
                                        s.hosting()),
                                "channel.billing.started",
                                Map.of());
            case "cancellation_requested" ->
                "requested".equals(s.cancellation())
                        ? new Result.NoOp()
                        : moved(withCancellation(s, "requested"), "channel.cancellation.requested", Map.of());
            case "cancellation_withdrawn" ->
                "withdrawn".equals(s.cancellation())
                        ? new Result.NoOp()
                        : !"requested".equals(s.cancellation())
                                ? new Result.Refused("no cancellation is requested", allowed(s))
                                : moved(withCancellation(s, "withdrawn"), "channel.cancellation.withdrawn", Map.of());
            case "cancellation_completed" ->
                !"requested".equals(s.cancellation())
                        ? new Result.Refused("no cancellation is requested", allowed(s))
                        : moved(withCancellation(s, "completed"), "channel.cancellation.completed", Map.of());
            case "template_messaging_enabled" -> {
                if (s.templateMessaging()) {
                    yield new Result.NoOp();
                }
                if (!s.status().equals("live")) {
                    yield new Result.Refused("template messaging is enabled only on a live channel", allowed(s));
                }
                yield moved(
                        new State(s.status(), s.permission(), s.billingStarted(), s.cancellation(), true, s.hosting()),
                        "channel.template_messaging.enabled",
                        Map.of());
            }
            default -> {
                String hosting = to.substring("migrated_to_".length());
                if (hosting.equals(s.hosting())) {
                    yield new Result.NoOp();
                }
                yield moved(
                        new State(
                                s.status(),
                                s.permission(),
                                s.billingStarted(),
                                s.cancellation(),
                                s.templateMessaging(),
                                hosting),
                        "channel.hosting.migrated",
                        Map.of("from", s.hosting(), "to", hosting));
            }
        };
    }

    /** The transitions that would change something now. */
    public static List<String> allowed(State s) {
        List<String> out = new ArrayList<>();
        for (String t : TARGETS) {
            if (!"completed".equals(s.cancellation()) && !t.equals(s.status())) {
                Result r = tryApply(s, t);
                if (r instanceof Result.Moved) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    private static Result tryApply(State s, String to) {
        // allowed() must not recurse into itself through Refused results
        int at = STATUSES.indexOf(s.status());
        int target = STATUSES.indexOf(to);
        if (target >= 0) {
            return target == at + 1 ? new Result.Moved(s, to, Map.of()) : new Result.NoOp();
        }
        return switch (to) {
            case "permission_granted" ->
                "granted".equals(s.permission()) ? new Result.NoOp() : new Result.Moved(s, to, Map.of());
            case "permission_revoked" ->
                "granted".equals(s.permission()) ? new Result.Moved(s, to, Map.of()) : new Result.NoOp();
            case "billing_started" -> s.billingStarted() ? new Result.NoOp() : new Result.Moved(s, to, Map.of());
            case "cancellation_requested" ->
                "requested".equals(s.cancellation()) ? new Result.NoOp() : new Result.Moved(s, to, Map.of());
            case "cancellation_withdrawn", "cancellation_completed" ->
                "requested".equals(s.cancellation()) ? new Result.Moved(s, to, Map.of()) : new Result.NoOp();
            case "template_messaging_enabled" ->
                !s.templateMessaging() && s.status().equals("live")
                        ? new Result.Moved(s, to, Map.of())
                        : new Result.NoOp();
            default ->
                to.substring("migrated_to_".length()).equals(s.hosting())
                        ? new Result.NoOp()
                        : new Result.Moved(s, to, Map.of());
        };
    }

    private static State withCancellation(State s, String c) {
        return new State(s.status(), s.permission(), s.billingStarted(), c, s.templateMessaging(), s.hosting());
    }

    private static Result moved(State next, String type, Map<String, Object> extra) {
        return new Result.Moved(next, type, extra);
    }
}

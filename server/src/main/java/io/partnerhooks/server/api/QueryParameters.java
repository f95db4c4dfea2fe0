package io.partnerhooks.server.api;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.partnerhooks.core.error.InvalidInputException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters each partner and platform route reads. Anything else is refused with a 400
 * naming it, as an unknown body field is ({@link Json#onlyFields}): {@code ?limt=5} or
 * {@code ?evnt_type=} would otherwise be ignored and answer with everything. A route missing from
 * this table takes no query parameters. Keep it in step with the handlers and docs/openapi.yaml.
 */
public final class QueryParameters {
    private static final List<String> PAGE = List.of("limit", "after");
    private static final List<String> AUDIT = List.of("limit", "after", "action", "since", "until");

    static final Map<String, Set<String>> BY_ROUTE = Map.ofEntries(
            route(
                    "GET /v1/events",
                    PAGE,
                    "type",
                    "status",
                    "since",
                    "until",
                    "workspace_id",
                    "channel_id",
                    "phone_number"),
            route("GET /v1/endpoints/{id}/deliveries", PAGE, "status"),
            route(
                    "GET /v1/stream",
                    PAGE,
                    "consumer",
                    "event_types",
                    "wait",
                    "workspace_ids",
                    "channel_ids",
                    "phone_numbers"),
            route("GET /v1/endpoints/{id}/stats", List.of(), "window"),
            route("GET /v1/replays", PAGE, "endpoint_id"),
            route("GET /v1/event-types", List.of(), "prefix"),
            route("GET /v1/workspaces", PAGE),
            route("GET /v1/channels", PAGE),
            route("DELETE /v1/thresholds", List.of(), "quota", "percent"),
            route("GET /v1/audit-log", AUDIT),
            route("GET /platform/v1/audit-log", AUDIT, "partner_id"),
            route("GET /platform/v1/meta/unroutable", PAGE));

    private QueryParameters() {}

    private static Map.Entry<String, Set<String>> route(String route, List<String> common, String... more) {
        Set<String> names = new TreeSet<>(common);
        names.addAll(List.of(more));
        return Map.entry(route, Set.copyOf(names));
    }

    /** The names a route takes ("GET /v1/events"); empty for a route that takes none. */
    public static Set<String> allowed(String route) {
        return BY_ROUTE.getOrDefault(route, Set.of());
    }

    /** Before-matched handler for /v1 and /platform/v1 routes. */
    public static void check(Context ctx) {
        Endpoint e = ctx.endpoints().matchedHttpEndpoint();
        if (e == null || !(e.path.startsWith("/v1/") || e.path.startsWith("/platform/v1/"))) {
            return;
        }
        Set<String> allowed = allowed(e.method.name() + " " + e.path);
        for (String name : ctx.queryParamMap().keySet()) {
            if (!allowed.contains(name)) {
                throw new InvalidInputException(
                        name,
                        allowed.isEmpty()
                                ? "is not a query parameter of this route (it takes none)"
                                : "is not a known query parameter (expected one of "
                                        + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }
}

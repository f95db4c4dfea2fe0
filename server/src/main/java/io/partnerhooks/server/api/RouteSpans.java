package io.partnerhooks.server.api;

import io.javalin.http.Handler;

/**
 * Wraps a route's handler in a server span when tracing is on (ADR 15): the publish routes and
 * the Meta callback. {@link #NONE} hands the handler back as it is.
 */
@FunctionalInterface
public interface RouteSpans {
    RouteSpans NONE = (route, h) -> h;

    /** {@code route}: the span's name, e.g. {@code POST /platform/v1/events}. */
    Handler around(String route, Handler handler);
}

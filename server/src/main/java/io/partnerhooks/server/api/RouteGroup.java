package io.partnerhooks.server.api;

/**
 * The routes of one resource (endpoints, events, channels, ...). A group says who may call each
 * of its routes by registering it through {@link Routes#partner()}, {@link Routes#operator()} or
 * {@link Routes#open()}; the seam ({@link Routes#install}) applies the check, so a group works
 * the same whichever groups come before or after it, and alone on a bare Javalin in a test.
 */
@FunctionalInterface
public interface RouteGroup {
    void register(Routes routes);
}

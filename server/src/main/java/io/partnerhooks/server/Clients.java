package io.partnerhooks.server;

import io.partnerhooks.server.Config.InvalidConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * The HTTP server and its clients: BIND_ADDRESS to listen on; what one client may hold
 * (HEADER_TIMEOUT and BODY_TIMEOUT from a request's first header byte and first body byte,
 * MAX_CONNECTIONS_PER_CLIENT open connections, 0: no cap); METRICS_TOKEN, when set, the bearer
 * token {@code /metrics} asks for.
 */
public record Clients(
        Duration headerTimeout,
        Duration bodyTimeout,
        int maxConnectionsPerClient,
        String bindAddress,
        String metricsToken) {
    public static final Clients DEFAULTS = new Clients(Duration.ofSeconds(10), Duration.ofSeconds(30), 256);

    public Clients(Duration headerTimeout, Duration bodyTimeout, int maxConnectionsPerClient) {
        this(headerTimeout, bodyTimeout, maxConnectionsPerClient, "0.0.0.0", null);
    }

    public Clients {
        if (headerTimeout == null
                || headerTimeout.compareTo(Duration.ofMillis(100)) < 0
                || headerTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new InvalidConfigException("HEADER_TIMEOUT must be between 100ms and 10m");
        }
        if (bodyTimeout == null
                || bodyTimeout.compareTo(Duration.ofMillis(100)) < 0
                || bodyTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new InvalidConfigException("BODY_TIMEOUT must be between 100ms and 10m");
        }
        if (maxConnectionsPerClient < 0 || maxConnectionsPerClient > 1_000_000) {
            throw new InvalidConfigException("MAX_CONNECTIONS_PER_CLIENT must be between 0 (no cap) and 1000000, got "
                    + maxConnectionsPerClient);
        }
        bindAddress = bindAddress == null || bindAddress.isBlank() ? "0.0.0.0" : bindAddress.strip();
        // a literal only: binding to a name would depend on a DNS answer at start-up
        if (!bindAddress.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            throw new InvalidConfigException(
                    "BIND_ADDRESS must be an IP address of this host (0.0.0.0 for all, 127.0.0.1"
                            + " for loopback only), got '" + bindAddress + "'");
        }
        try {
            InetAddress.getByName(bindAddress);
        } catch (UnknownHostException e) {
            throw new InvalidConfigException(
                    "BIND_ADDRESS must be an IP address of this host, got '" + bindAddress + "'");
        }
        metricsToken = metricsToken == null || metricsToken.isBlank() ? null : metricsToken.strip();
        if (metricsToken != null && metricsToken.length() < 16) {
            throw new InvalidConfigException("METRICS_TOKEN must be at least 16 characters");
        }
    }
}

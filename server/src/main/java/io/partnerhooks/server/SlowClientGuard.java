package io.partnerhooks.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps clients that trickle from holding connections for ever. Jetty's idle timeout restarts on
 * every byte, so a client sending one header byte a second never trips it. This guard gives each
 * request's headers, and then its body, a deadline counted from the request's first byte, closes
 * connections that miss it, and caps the connections one client address may hold open (0: no cap;
 * behind a load balancer every connection comes from its address, so raise or disable the cap there).
 */
final class SlowClientGuard extends AbstractLifeCycle implements Connection.Listener {
    private static final Logger log = LoggerFactory.getLogger(SlowClientGuard.class);
    private static final long SWEEP_MS = 250;

    private final Server server;
    private final long headerNanos;
    private final long bodyNanos;
    private final int maxPerAddress;
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final Map<Connection, Tracked> open = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong cut = new AtomicLong();
    private ScheduledExecutorService sweeper;

    /** What the sweeper last saw of one connection. */
    private static final class Tracked {
        final String address;
        long bytesIn;
        /** System.nanoTime() of the current phase's first byte (headers or body); 0 while idle. */
        long since;

        boolean inBody;

        Tracked(String address) {
            this.address = address;
        }
    }

    SlowClientGuard(Server server, Duration headerTimeout, Duration bodyTimeout, int maxPerAddress) {
        this.server = server;
        this.headerNanos = headerTimeout.toNanos();
        this.bodyNanos = bodyTimeout.toNanos();
        this.maxPerAddress = maxPerAddress;
    }

    @Override
    protected void doStart() {
        for (var c : server.getConnectors()) {
            if (c instanceof AbstractConnector a) {
                a.addBean(this);
            }
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon(true).name("slow-client-guard").unstarted(r));
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        for (var c : server.getConnectors()) {
            if (c instanceof AbstractConnector a) {
                a.removeBean(this);
            }
        }
    }

    @Override
    public void onOpened(Connection connection) {
        String address = addressOf(connection.getEndPoint().getRemoteSocketAddress());
        int n = perAddress.computeIfAbsent(address, k -> new AtomicInteger()).incrementAndGet();
        open.put(connection, new Tracked(address));
        if (maxPerAddress > 0 && n > maxPerAddress) {
            if (refused.incrementAndGet() % 1000 == 1) {
                log.warn(
                        "client {} holds more than {} connections; closing the extra ones ({} so far)",
                        address,
                        maxPerAddress,
                        refused.get());
            }
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Tracked t = open.remove(connection);
        if (t != null) {
            perAddress.computeIfPresent(t.address, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        try {
            open.forEach((connection, t) -> {
                if (!(connection instanceof HttpConnection http)) {
                    return; // another protocol: its own timeouts apply
                }
                var parser = http.getParser();
                long bytes = connection.getBytesIn();
                boolean headers = parser.inHeaderState() && !parser.isStart();
                boolean body = parser.inContentState();
                if (!headers && !body) {
                    t.since = 0; // idle between requests, or the request is being handled
                } else if (t.since == 0 || t.inBody != body) {
                    t.since = now; // a new phase: headers of a request, or its body
                    t.inBody = body;
                }
                t.bytesIn = bytes;
                long limit = t.inBody ? bodyNanos : headerNanos;
                if (t.since != 0 && now - t.since > limit) {
                    if (cut.incrementAndGet() % 1000 == 1) {
                        log.info(
                                "closing a connection from {}: its request {} took longer than {} s ({} closed so far)",
                                t.address,
                                t.inBody ? "body" : "headers",
                                limit / 1_000_000_000.0,
                                cut.get());
                    }
                    connection.getEndPoint().close();
                    t.since = 0;
                }
            });
        } catch (RuntimeException e) {
            log.debug("slow-client sweep failed: {}", e.toString());
        }
    }

    private static String addressOf(SocketAddress a) {
        return a instanceof InetSocketAddress i && i.getAddress() != null
                ? i.getAddress().getHostAddress()
                : String.valueOf(a);
    }
}

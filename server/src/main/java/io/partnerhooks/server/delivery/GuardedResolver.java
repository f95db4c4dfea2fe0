package io.partnerhooks.server.delivery;

import io.partnerhooks.core.address.AddressPolicy;
import io.partnerhooks.core.address.IpLiterals;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSRF guard's place in the HTTP client: the host is resolved here once, every address is
 * vetted, and the client connects only to the vetted addresses it is handed back, so a DNS answer
 * cannot change between the check and the connect. Fails closed: no allowed address, no request.
 */
public final class GuardedResolver implements SocketAddressResolver {
    private static final Logger log = LoggerFactory.getLogger(GuardedResolver.class);
    /**
     * What a partner is told about a refused name. Never the address it resolved to: that would let
     * any partner map our internal DNS names one endpoint URL at a time. The operator's log has it.
     */
    public static final String REFUSED = "resolves to an address deliveries may not reach";

    private final AddressPolicy policy;
    private final Executor executor;

    public GuardedResolver(AddressPolicy policy, Executor executor) {
        this.policy = policy;
        this.executor = executor;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        executor.execute(() -> {
            try {
                promise.succeeded(vet(host, port));
            } catch (Throwable t) {
                promise.failed(t);
            }
        });
    }

    List<InetSocketAddress> vet(String host, int port) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        // A literal in an unusual spelling (2130706433, 0x7f.1) is judged by what it means, since
        // the platform resolver would turn it into that address too.
        InetAddress[] addresses = IpLiterals.parseIpv4Literal(bare)
                .map(a -> new InetAddress[] {a})
                .orElse(null);
        if (addresses == null) {
            addresses = InetAddress.getAllByName(bare);
        }
        List<InetSocketAddress> allowed = new ArrayList<>();
        String firstRefusal = null;
        for (InetAddress a : addresses) {
            var refusal = policy.refusalReason(a);
            if (refusal.isEmpty()) {
                allowed.add(new InetSocketAddress(a, port));
            } else if (firstRefusal == null) {
                firstRefusal = refusal.get();
            }
        }
        if (allowed.isEmpty()) {
            log.warn("address guard: {} resolves only to forbidden addresses (first: {})", host, firstRefusal);
            throw new BlockedAddressException(host + " " + REFUSED);
        }
        return allowed;
    }

    /**
     * The resolver behind an egress proxy: the client only ever connects to the proxy, so this
     * resolves the proxy's host (which may well be a private address) without vetting and refuses
     * anything else; targets are vetted by the transport before each request.
     */
    public static final class ProxyOnly implements SocketAddressResolver {
        private final String host;
        private final int port;
        private final GuardedResolver guard;
        private final Executor executor;

        public ProxyOnly(String host, int port, GuardedResolver guard, Executor executor) {
            this.host = host;
            this.port = port;
            this.guard = guard;
            this.executor = executor;
        }

        @Override
        public void resolve(String h, int p, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
            if (!host.equalsIgnoreCase(h) || port != p) {
                // not the proxy (should not happen with a proxy configured for every destination)
                guard.resolve(h, p, context, promise);
                return;
            }
            executor.execute(() -> {
                try {
                    List<InetSocketAddress> out = new ArrayList<>();
                    for (InetAddress a : InetAddress.getAllByName(h)) {
                        out.add(new InetSocketAddress(a, p));
                    }
                    promise.succeeded(out);
                } catch (Throwable t) {
                    promise.failed(t);
                }
            });
        }
    }
}

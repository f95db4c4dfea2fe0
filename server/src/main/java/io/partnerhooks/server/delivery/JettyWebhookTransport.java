package io.partnerhooks.server.delivery;

import io.partnerhooks.core.address.AddressPolicy;
import io.partnerhooks.core.model.DeliveryOutcome;
import io.partnerhooks.core.port.WebhookHandshake;
import io.partnerhooks.core.port.WebhookTransport;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.client.BasicAuthentication;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Origin;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Deliveries over Jetty's HTTP client, with the address guard as its resolver. */
public final class JettyWebhookTransport implements WebhookTransport, WebhookHandshake {
    /** The most of an answer we read and keep; the rest is discarded unread (fails safe on huge bodies). */
    public static final int MAX_RESPONSE_BYTES = 4096;

    private final HttpClient client;
    private GuardedResolver guard;
    private boolean proxied;
    private final ExecutorService resolverThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final Duration totalTimeout;
    private final Clock clock;

    public JettyWebhookTransport(AddressPolicy policy, Duration connectTimeout, Duration totalTimeout, Clock clock) {
        this(policy, connectTimeout, totalTimeout, clock, 1024);
    }

    public JettyWebhookTransport(
            AddressPolicy policy, Duration connectTimeout, Duration totalTimeout, Clock clock, int maxConnections) {
        this(policy, connectTimeout, totalTimeout, clock, maxConnections, null, null, null, null);
    }

    /**
     * With {@code proxy} set, every request goes through that HTTP proxy (CONNECT for https, the
     * absolute form for http). The client then never resolves the target itself, so the address
     * guard vets it here before each request, exactly as it would before a direct connect; the
     * proxy's own address is the only one the resolver lets through unvetted, and only as the proxy
     * (a partner URL naming it is vetted like any other). {@code bind}: the local address to send from.
     */
    public JettyWebhookTransport(
            AddressPolicy policy,
            Duration connectTimeout,
            Duration totalTimeout,
            Clock clock,
            int maxConnections,
            URI proxy,
            String proxyUser,
            String proxyPassword,
            InetAddress bind) {
        this.totalTimeout = totalTimeout;
        this.clock = clock;
        this.client = new HttpClient();
        client.setSslContextFactory(new SslContextFactory.Client());
        client.setFollowRedirects(false);
        client.setConnectTimeout(connectTimeout.toMillis());
        client.setIdleTimeout(totalTimeout.toMillis() + 1_000);
        // Our dispatcher bounds concurrency (globally and per endpoint); the client must not add a
        // lower per-host cap, or many endpoints on one host would queue behind each other and time
        // out in the client's queue without ever being sent.
        client.setMaxConnectionsPerDestination(maxConnections);
        client.setMaxRequestsQueuedPerDestination(maxConnections);
        client.setUserAgentField(null);
        this.guard = new GuardedResolver(policy, resolverThreads);
        this.proxied = proxy != null;
        if (proxy != null) {
            client.setSocketAddressResolver(
                    new GuardedResolver.ProxyOnly(proxy.getHost(), proxy.getPort(), guard, resolverThreads));
            client.getProxyConfiguration()
                    .addProxy(new HttpProxy(new Origin.Address(proxy.getHost(), proxy.getPort()), false));
            if (proxyUser != null) {
                // sent up front on the CONNECT and on forwarded requests (no 407 round trip)
                client.getAuthenticationStore()
                        .addAuthenticationResult(new BasicAuthentication.BasicResult(
                                proxy, HttpHeader.PROXY_AUTHORIZATION, proxyUser, proxyPassword));
            }
        } else {
            client.setSocketAddressResolver(guard);
        }
        if (bind != null) {
            client.setBindAddress(new InetSocketAddress(bind, 0));
        }
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client", e);
        }
    }

    /** Behind a proxy: the target's addresses, vetted before the proxy is asked to reach it. */
    private Optional<DeliveryOutcome> vetTarget(URI uri) {
        if (!proxied) {
            return Optional.empty();
        }
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        try {
            guard.vet(uri.getHost() == null ? "" : uri.getHost(), port);
            return Optional.empty();
        } catch (BlockedAddressException e) {
            return Optional.of(new DeliveryOutcome.Blocked(e.getMessage()));
        } catch (UnknownHostException e) {
            return Optional.of(new DeliveryOutcome.TransportError("dns", "cannot resolve " + uri.getHost()));
        }
    }

    @Override
    public DeliveryOutcome send(OutgoingRequest r) {
        Optional<DeliveryOutcome> refused = vetTarget(r.url());
        if (refused.isPresent()) {
            return refused.get();
        }
        Request request = client.newRequest(r.url())
                .method(HttpMethod.POST)
                .timeout(totalTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .body(new BytesRequestContent(r.headers().getOrDefault("content-type", "application/json"), r.body()));
        request.headers(h -> {
            for (Map.Entry<String, String> e : r.headers().entrySet()) {
                if (!e.getKey().equalsIgnoreCase("content-type")) {
                    h.put(e.getKey(), e.getValue());
                }
            }
        });
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        try {
            Response response = listener.get(totalTimeout.toMillis() + 500, TimeUnit.MILLISECONDS);
            String excerpt;
            try (InputStream in = listener.getInputStream()) {
                excerpt = decode(in.readNBytes(MAX_RESPONSE_BYTES));
            }
            int status = response.getStatus();
            if (status >= 200 && status < 300) {
                return new DeliveryOutcome.Delivered(status, excerpt);
            }
            return new DeliveryOutcome.Rejected(
                    status, excerpt, retryAfter(response.getHeaders().get(HttpHeader.RETRY_AFTER), clock.instant()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.abort(e);
            return new DeliveryOutcome.TransportError("interrupted", "sender shut down");
        } catch (TimeoutException e) {
            request.abort(e);
            return new DeliveryOutcome.TimedOut("no answer within " + totalTimeout.toSeconds() + " s");
        } catch (ExecutionException | IOException e) {
            return classify(e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    /**
     * Meta's verification GET, sent by the same guarded client as deliveries (so the address guard
     * applies and redirects are not followed). Succeeds only on 200 with exactly the challenge.
     */
    @Override
    public Optional<String> verify(String url, String verifyToken, String challenge) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("the URL is not valid");
        }
        Optional<DeliveryOutcome> refused = vetTarget(uri);
        if (refused.isPresent()) {
            DeliveryOutcome o = refused.get();
            return Optional.of("GET failed: " + o.errorClass()
                    + (o instanceof DeliveryOutcome.Blocked b ? " (" + b.reason() + ")" : ""));
        }
        Request request = client.newRequest(uri)
                .method(HttpMethod.GET)
                .param("hub.mode", "subscribe")
                .param("hub.verify_token", verifyToken)
                .param("hub.challenge", challenge)
                .timeout(totalTimeout.toMillis(), TimeUnit.MILLISECONDS);
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        try {
            Response response = listener.get(totalTimeout.toMillis() + 500, TimeUnit.MILLISECONDS);
            String body;
            try (InputStream in = listener.getInputStream()) {
                body = decode(in.readNBytes(MAX_RESPONSE_BYTES));
            }
            if (response.getStatus() == 200 && body.strip().equals(challenge)) {
                return Optional.empty();
            }
            String shown = body.length() > 200 ? body.substring(0, 200) + "…" : body;
            return Optional.of("GET answered " + response.getStatus() + " with body '"
                    + shown.replaceAll("\\p{Cntrl}", " ") + "' instead of the challenge " + challenge);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.abort(e);
            return Optional.of("interrupted");
        } catch (TimeoutException e) {
            request.abort(e);
            return Optional.of("no answer within " + totalTimeout.toSeconds() + " s");
        } catch (ExecutionException | IOException e) {
            DeliveryOutcome o = classify(e instanceof ExecutionException ? e.getCause() : e);
            return Optional.of("GET failed: " + o.errorClass()
                    + (o instanceof DeliveryOutcome.Blocked b ? " (" + b.reason() + ")" : ""));
        }
    }

    static DeliveryOutcome classify(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BlockedAddressException b) {
                return new DeliveryOutcome.Blocked(b.getMessage());
            }
            if (c instanceof TimeoutException || c instanceof SocketTimeoutException) {
                return new DeliveryOutcome.TimedOut(String.valueOf(c.getMessage()));
            }
            if (c instanceof ConnectException) {
                return new DeliveryOutcome.TransportError("connection_refused", String.valueOf(c.getMessage()));
            }
            if (c instanceof UnknownHostException) {
                return new DeliveryOutcome.TransportError("dns", "cannot resolve " + c.getMessage());
            }
            if (c instanceof SSLException) {
                return new DeliveryOutcome.TransportError("tls", String.valueOf(c.getMessage()));
            }
            if (c instanceof EofException || c instanceof EOFException || c instanceof ClosedChannelException) {
                return new DeliveryOutcome.TransportError(
                        "connection_closed", "connection closed before a full answer");
            }
        }
        return new DeliveryOutcome.TransportError("io", t == null ? "unknown failure" : t.toString());
    }

    /** Retry-After as delta-seconds or an HTTP date; anything unreadable is ignored (the schedule applies). */
    static Optional<Duration> retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        try {
            long s = Long.parseLong(v);
            return s >= 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration d = Duration.between(now, at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // shutting down; nothing useful to do
        }
        resolverThreads.shutdownNow();
    }
}

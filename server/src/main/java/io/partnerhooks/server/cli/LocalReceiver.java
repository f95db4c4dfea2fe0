package io.partnerhooks.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.partnerhooks.core.delivery.Signer;
import io.partnerhooks.sdk.WebhookVerificationException;
import io.partnerhooks.sdk.WebhookVerifier;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code partnerhooks listen}'s local receiver: answers every POST, checks its signature with the
 * secret it was given (Standard Webhooks headers, Meta's {@code X-Hub-Signature-256}, or the
 * TimelinesAI {@code X-TL-Signature} JWT, whichever the request carries) and prints one line per
 * delivery. A valid or unsigned-while-no-secret delivery gets 200; a bad signature gets 401, so the
 * sender's log shows the failure too.
 */
final class LocalReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final HttpServer server;
    private volatile String secret;
    /** While set and in the future, every POST is answered 500: the demo's failing endpoint. */
    private volatile Instant failUntil;

    private final PrintStream out;
    private final Clock clock;
    final AtomicLong received = new AtomicLong();
    final AtomicLong verified = new AtomicLong();
    final AtomicLong refused = new AtomicLong();

    LocalReceiver(String bind, int port, String secret, PrintStream out, Clock clock) throws IOException {
        this.secret = secret == null || secret.isBlank() ? null : secret.strip();
        this.out = out;
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(bind, port), 100);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The secret to verify with from now on (the demo learns it after the endpoint exists). */
    void verifyWith(String secret) {
        this.secret = secret == null || secret.isBlank() ? null : secret.strip();
    }

    /** Answers every POST 500 until {@code until}, then normally again. */
    void failUntil(Instant until) {
        this.failUntil = until;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("POST")) {
                answer(ex, 405, "POST only\n");
                return;
            }
            byte[] body = ex.getRequestBody().readNBytes(4 * 1024 * 1024);
            received.incrementAndGet();
            var h = ex.getRequestHeaders();
            Instant down = failUntil;
            if (down != null && clock.instant().isBefore(down)) {
                String time =
                        LocalTime.now(clock.withZone(ZoneId.systemDefault())).format(TIME);
                out.println(time + "  ✗ answered 500 (down until "
                        + LocalTime.ofInstant(down, ZoneId.systemDefault()).format(TIME) + ")  "
                        + ex.getRequestURI().getPath() + "  " + describe(body, h.getFirst("webhook-id")));
                answer(ex, 500, "down for the demo\n");
                return;
            }
            String secret = this.secret;
            String scheme;
            String problem = null;
            if (h.getFirst("webhook-signature") != null) {
                scheme = "standard-webhooks";
                if (secret != null) {
                    try {
                        new WebhookVerifier(secret)
                                .verify(
                                        body,
                                        h.getFirst("webhook-id"),
                                        h.getFirst("webhook-timestamp"),
                                        h.getFirst("webhook-signature"),
                                        clock.instant());
                    } catch (WebhookVerificationException | IllegalArgumentException e) {
                        problem = e.getMessage();
                    }
                }
            } else if (h.getFirst("x-hub-signature-256") != null) {
                scheme = "x-hub-signature-256";
                if (secret != null) {
                    String want = "sha256="
                            + HexFormat.of()
                                    .formatHex(Signer.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), body));
                    if (!MessageDigest.isEqual(
                            want.getBytes(StandardCharsets.US_ASCII),
                            h.getFirst("x-hub-signature-256").strip().getBytes(StandardCharsets.US_ASCII))) {
                        problem = "the HMAC of the body does not match";
                    }
                }
            } else if (h.getFirst("x-tl-signature") != null) {
                scheme = "x-tl-signature";
                if (secret != null) {
                    problem = checkJwt(h.getFirst("x-tl-signature").strip());
                }
            } else {
                scheme = "unsigned";
                if (secret != null) {
                    problem = "no signature header";
                }
            }
            String what = describe(body, h.getFirst("webhook-id"));
            String time = LocalTime.now(clock.withZone(ZoneId.systemDefault())).format(TIME);
            if (problem == null) {
                if (secret != null) {
                    verified.incrementAndGet();
                }
                out.println(time + "  " + (secret == null ? "  (not verified: no --secret)" : "✓") + " " + scheme + "  "
                        + ex.getRequestURI().getPath() + "  " + what);
                answer(ex, 200, "ok\n");
            } else {
                refused.incrementAndGet();
                out.println(time + "  ✗ " + scheme + " refused (" + problem + ")  "
                        + ex.getRequestURI().getPath() + "  " + what);
                answer(ex, 401, "signature refused: " + problem + "\n");
            }
        }
    }

    /** An HS256 JWT keyed with the secret, within its nbf/exp window. */
    private String checkJwt(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return "not a JWT";
        }
        byte[] want = Signer.hmacSha256(
                secret.getBytes(StandardCharsets.UTF_8),
                (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        byte[] got;
        try {
            got = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return "the JWT's signature is not base64url";
        }
        if (!MessageDigest.isEqual(want, got)) {
            return "the JWT's signature does not match";
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            long now = clock.instant().getEpochSecond();
            if (claims.has("nbf") && now < claims.get("nbf").asLong()
                    || claims.has("exp") && now > claims.get("exp").asLong()) {
                return "the JWT is outside its nbf/exp window";
            }
        } catch (IOException | IllegalArgumentException e) {
            return "the JWT's claims are not JSON";
        }
        return null;
    }

    /** type, subject and id of a standard event; the Meta object and field of a Cloud API one. */
    private static String describe(byte[] body, String webhookId) {
        try {
            JsonNode j = JSON.readTree(body);
            if (j.has("type")) {
                return j.path("type").asText() + "  "
                        + (j.has("subject") ? j.get("subject").toString() : "") + "  "
                        + (webhookId != null ? webhookId : j.path("id").asText());
            }
            if (j.has("object")) {
                return j.path("object").asText() + " "
                        + j.path("entry")
                                .path(0)
                                .path("changes")
                                .path(0)
                                .path("field")
                                .asText();
            }
            if (j.has("event_type")) {
                return j.path("event_type").asText();
            }
            return body.length + " bytes of JSON";
        } catch (IOException e) {
            return body.length + " bytes (not JSON)";
        }
    }

    private static void answer(HttpExchange ex, int status, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package io.partnerhooks.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partnerhooks.core.delivery.Signer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code partnerhooks listen --server}: follows a remote server's event stream (GET /v1/stream,
 * long polls) with a partner API key, prints one line per event and, with a forward URL, POSTs
 * each event there signed with Standard Webhooks headers under a local secret. With a consumer
 * name the server keeps the cursor, so a restart resumes where the last run stopped; without one
 * it starts at the end of the stream (events from now on).
 */
public final class StreamFollower {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Below the server's 30 s limit and its connections' idle timeout. */
    static final int WAIT_SECONDS = 25;

    private final URI server;
    private final String apiKey;
    private final String eventTypes;
    private final URI forwardTo;
    private final String consumer;
    private final String secret;
    private final PrintStream out;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    public final AtomicLong received = new AtomicLong();
    public final AtomicLong forwarded = new AtomicLong();
    public final AtomicLong forwardFailed = new AtomicLong();

    public StreamFollower(
            URI server,
            String apiKey,
            String eventTypes,
            URI forwardTo,
            String consumer,
            String secret,
            PrintStream out) {
        this.server = server;
        this.apiKey = apiKey;
        this.eventTypes = eventTypes;
        this.forwardTo = forwardTo;
        this.consumer = consumer;
        this.secret = secret;
        this.out = out;
    }

    /** Follows until {@code stop} is set; a server error is printed and retried after a pause. */
    public void run(AtomicBoolean stop) throws InterruptedException {
        String cursor = null;
        boolean started = false;
        while (!stop.get()) {
            try {
                if (!started) {
                    cursor = consumer != null ? null : skipToEnd();
                    started = true;
                    out.println(
                            consumer != null
                                    ? "following " + server + " as consumer " + consumer
                                    : "following " + server + " from now on");
                }
                String query = "?limit=100&wait=" + WAIT_SECONDS
                        + (eventTypes == null ? "" : "&event_types=" + enc(eventTypes))
                        + (cursor == null && consumer != null ? "&consumer=" + enc(consumer) : "")
                        + (cursor != null ? "&after=" + enc(cursor) : "");
                JsonNode page = get("/v1/stream" + query);
                for (JsonNode e : page.path("data")) {
                    handle(e);
                }
                String next = page.path("next_cursor").isTextual()
                        ? page.get("next_cursor").asText()
                        : null;
                if (consumer != null && next != null && !page.path("data").isEmpty()) {
                    post(
                            "/v1/stream/consumers/" + enc(consumer) + "/commit",
                            JSON.createObjectNode().put("cursor", next).toString());
                }
                if (next != null) {
                    cursor = next;
                }
            } catch (IOException | RuntimeException e) {
                if (stop.get()) {
                    return;
                }
                out.println("stream: " + e.getMessage() + "; trying again in 2 s");
                Thread.sleep(2_000);
            }
        }
    }

    /** The cursor after the last event now in the stream (pages through it without printing). */
    private String skipToEnd() throws IOException, InterruptedException {
        String cursor = null;
        while (true) {
            JsonNode page = get("/v1/stream?limit=1000" + (eventTypes == null ? "" : "&event_types=" + enc(eventTypes))
                    + (cursor == null ? "" : "&after=" + enc(cursor)));
            String next = page.path("next_cursor").isTextual()
                    ? page.get("next_cursor").asText()
                    : null;
            if (page.path("data").isEmpty() || next == null) {
                return next != null ? next : cursor;
            }
            cursor = next;
        }
    }

    private void handle(JsonNode e) throws IOException, InterruptedException {
        received.incrementAndGet();
        String line = e.path("created_at").asText() + "  " + e.path("type").asText() + "  " + e.path("subject") + "  "
                + e.path("id").asText();
        if (forwardTo == null) {
            out.println(line);
            return;
        }
        byte[] body = JSON.writeValueAsBytes(e);
        String id = e.path("id").asText();
        long ts = System.currentTimeMillis() / 1000;
        HttpRequest req = HttpRequest.newBuilder(forwardTo)
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(ts))
                .header("webhook-signature", Signer.sign(secret, id, ts, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
            (status / 100 == 2 ? forwarded : forwardFailed).incrementAndGet();
            out.println(line + "  → " + status);
        } catch (IOException x) {
            forwardFailed.incrementAndGet();
            out.println(line + "  → " + forwardTo + " unreachable: " + x.getMessage());
        }
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(server.resolve(path))
                .timeout(Duration.ofSeconds(WAIT_SECONDS + 20))
                .GET());
    }

    private JsonNode post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(server.resolve(path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private JsonNode send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(b.header("Authorization", "Bearer " + apiKey).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            String detail = r.body();
            try {
                detail = JSON.readTree(r.body()).path("detail").asText(r.body());
            } catch (IOException ignored) {
                // not JSON: show it as it is
            }
            throw new IOException(r.statusCode() + " " + detail);
        }
        return JSON.readTree(r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

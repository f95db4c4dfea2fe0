package io.partnerhooks.sdk.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The platform API, called by the platform's own services with the operator token: publish events
 * and set partners up.
 *
 * <pre>{@code
 * PlatformClient platform = PlatformClient.create(URI.create("http://localhost:8080"), operatorToken);
 * PublishedEvent e = platform.publish(NewEvent.of("workspace.seats.exhausted", partnerId, data)
 *         .withIdempotencyKey("seats-ws_1-2026-11"));
 * }</pre>
 *
 * <p>Every call blocks until the server answers; an answer other than 2xx throws a
 * {@link PartnerhooksException} subclass. Instances are thread-safe; share one.
 */
public final class PlatformClient {
    private final Http http;

    private PlatformClient(Http http) {
        this.http = http;
    }

    public static PlatformClient create(URI baseUrl, String operatorToken) {
        return new PlatformClient(new Http(baseUrl, operatorToken, Http.defaultClient()));
    }

    /** With an {@link HttpClient} of your own (proxy, TLS, timeouts). */
    public static PlatformClient create(URI baseUrl, String operatorToken, HttpClient client) {
        return new PlatformClient(new Http(baseUrl, operatorToken, client));
    }

    /**
     * Publishes one event. Answered after the event and its deliveries are committed; with an
     * idempotency key seen before for this partner, the first event's id comes back with
     * {@code created() == false} and nothing is written.
     */
    public PublishedEvent publish(NewEvent event) {
        return PublishedEvent.from(http.send("POST", "/platform/v1/events", event.toJson()));
    }

    /**
     * Publishes up to 500 events in one commit: all of them or, when one is refused (a 400 naming it,
     * e.g. {@code events[3].data.workspace_id}), none. The answers come back in request order.
     */
    public List<PublishedEvent> publishBatch(List<NewEvent> events) {
        List<Object> list = new ArrayList<>();
        for (NewEvent e : events) {
            list.add(e.toJson());
        }
        Map<String, Object> answer = http.send("POST", "/platform/v1/events/batch", Map.of("events", list));
        List<PublishedEvent> out = new ArrayList<>();
        for (Map<String, Object> m : Json.objects(answer, "data")) {
            out.add(PublishedEvent.from(m));
        }
        return List.copyOf(out);
    }

    /** Creates a partner and its first API key (shown only in this answer). */
    public CreatedPartner createPartner(String name) {
        return CreatedPartner.from(http.send("POST", "/platform/v1/partners", Map.of("name", name)));
    }

    /** Issues another API key for a partner; its other keys keep working. */
    public CreatedApiKey createApiKey(String partnerId) {
        return CreatedApiKey.from(
                http.send("POST", "/platform/v1/partners/" + Http.segment(partnerId) + "/api-keys", Map.of()));
    }

    /** Revokes one of a partner's keys; it answers 401 from then on. */
    public void revokeApiKey(String partnerId, String keyId) {
        http.send(
                "DELETE",
                "/platform/v1/partners/" + Http.segment(partnerId) + "/api-keys/" + Http.segment(keyId),
                null);
    }

    /**
     * A one-time link that signs the partner into the dashboard without its API key.
     *
     * @param expiresInSeconds 60 to 86400, or 0 for the server's default (600)
     */
    public URI createPortalLink(String partnerId, int expiresInSeconds, boolean readOnly) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (expiresInSeconds > 0) {
            body.put("expires_in_seconds", expiresInSeconds);
        }
        if (readOnly) {
            body.put("read_only", true);
        }
        Map<String, Object> answer =
                http.send("POST", "/platform/v1/partners/" + Http.segment(partnerId) + "/portal-links", body);
        return URI.create(Json.str(answer, "url"));
    }
}

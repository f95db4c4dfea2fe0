package io.partnerhooks.sdk.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The partner API, called with a partner's API key: its endpoints, its event log and the
 * deliveries of each event.
 *
 * <pre>{@code
 * PartnerClient partner = PartnerClient.create(URI.create("http://localhost:8080"), apiKey);
 * Endpoint ep = partner.createEndpoint(NewEndpoint.of("https://hooks.example.com/ph", "workspace.*"));
 * String secret = ep.secret();   // for WebhookVerifier; shown only in this answer
 * for (Event e : partner.listEvents(EventQuery.all().type("workspace.*")).data()) { ... }
 * }</pre>
 *
 * <p>Every call blocks until the server answers; an answer other than 2xx throws a
 * {@link PartnerhooksException} subclass (another partner's ids are {@link PartnerhooksException.NotFound}).
 * Instances are thread-safe; share one.
 */
public final class PartnerClient {
    private final Http http;

    private PartnerClient(Http http) {
        this.http = http;
    }

    public static PartnerClient create(URI baseUrl, String apiKey) {
        return new PartnerClient(new Http(baseUrl, apiKey, Http.defaultClient()));
    }

    /** With an {@link HttpClient} of your own (proxy, TLS, timeouts). */
    public static PartnerClient create(URI baseUrl, String apiKey, HttpClient client) {
        return new PartnerClient(new Http(baseUrl, apiKey, client));
    }

    // ---- endpoints

    /** Registers an endpoint; the answer's {@link Endpoint#secret()} is its signing secret. */
    public Endpoint createEndpoint(NewEndpoint endpoint) {
        return Endpoint.from(http.send("POST", "/v1/endpoints", endpoint.toJson()));
    }

    public List<Endpoint> listEndpoints() {
        List<Endpoint> out = new ArrayList<>();
        for (Map<String, Object> m : Json.objects(http.send("GET", "/v1/endpoints", null), "data")) {
            out.add(Endpoint.from(m));
        }
        return List.copyOf(out);
    }

    public Endpoint getEndpoint(String endpointId) {
        return Endpoint.from(http.send("GET", "/v1/endpoints/" + Http.segment(endpointId), null));
    }

    public Endpoint updateEndpoint(String endpointId, EndpointUpdate update) {
        return Endpoint.from(http.send("PATCH", "/v1/endpoints/" + Http.segment(endpointId), update.toJson()));
    }

    /** Removes an endpoint; its pending deliveries fail. */
    public void deleteEndpoint(String endpointId) {
        http.send("DELETE", "/v1/endpoints/" + Http.segment(endpointId), null);
    }

    /** The endpoint's current signing secret ({@code whsec_...}). */
    public String endpointSecret(String endpointId) {
        return Json.str(http.send("GET", "/v1/endpoints/" + Http.segment(endpointId) + "/secret", null), "secret");
    }

    /**
     * The endpoint's deliveries, newest first.
     *
     * @param status {@code pending}, {@code delivered}, {@code failed}, {@code superseded}, or null for all
     * @param limit 1 to 250, or 0 for the server's default (50)
     * @param after the previous page's cursor, or null for the first page
     */
    public Page<Delivery> endpointDeliveries(String endpointId, String status, int limit, String after) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("status", status);
        q.put("limit", limit > 0 ? limit : null);
        q.put("after", after);
        Map<String, Object> answer =
                http.send("GET", "/v1/endpoints/" + Http.segment(endpointId) + "/deliveries" + Http.query(q), null);
        return new Page<>(deliveries(answer), Json.str(answer, "next_cursor"));
    }

    // ---- events and deliveries

    public Page<Event> listEvents(EventQuery query) {
        Map<String, Object> answer = http.send("GET", "/v1/events" + Http.query(query.params()), null);
        List<Event> out = new ArrayList<>();
        for (Map<String, Object> m : Json.objects(answer, "data")) {
            out.add(Event.from(m));
        }
        return new Page<>(out, Json.str(answer, "next_cursor"));
    }

    /** The first page of the event log (50 events, newest first). */
    public Page<Event> listEvents() {
        return listEvents(EventQuery.all());
    }

    public Event getEvent(String eventId) {
        return Event.from(http.send("GET", "/v1/events/" + Http.segment(eventId), null));
    }

    /** The event's deliveries (one per endpoint it went to), each with every attempt. */
    public List<Delivery> eventDeliveries(String eventId) {
        return deliveries(http.send("GET", "/v1/events/" + Http.segment(eventId) + "/deliveries", null));
    }

    public Delivery getDelivery(String deliveryId) {
        return Delivery.from(http.send("GET", "/v1/deliveries/" + Http.segment(deliveryId), null));
    }

    /** A new attempt now, for a pending, failed or superseded delivery (409 for a delivered one). */
    public void retryDelivery(String deliveryId) {
        http.send("POST", "/v1/deliveries/" + Http.segment(deliveryId) + "/retry", null);
    }

    private static List<Delivery> deliveries(Map<String, Object> answer) {
        List<Delivery> out = new ArrayList<>();
        for (Map<String, Object> m : Json.objects(answer, "data")) {
            out.add(Delivery.from(m));
        }
        return List.copyOf(out);
    }
}

package io.partnerhooks.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A small HTTP client for tests that talk to the running app the way a partner would. */
public final class Api {
    public static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    public record Response(int status, String contentType, String body, Map<String, List<String>> headers) {
        public String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()).stream()
                    .findFirst()
                    .orElse(null);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    public Api(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public Response call(String method, String path, String token, String body) {
        return callWithType(method, path, token, body, body == null ? null : "application/json");
    }

    public Response callWithType(String method, String path, String token, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(
                    r.statusCode(),
                    r.headers().firstValue("content-type").orElse(""),
                    r.body(),
                    r.headers().map());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public Response get(String path, String token) {
        return call("GET", path, token, null);
    }

    public Response post(String path, String token, String body) {
        return call("POST", path, token, body);
    }
}

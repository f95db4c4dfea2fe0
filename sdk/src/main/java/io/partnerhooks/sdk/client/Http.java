package io.partnerhooks.sdk.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The one place requests are sent: bearer token, JSON in and out, problems turned into exceptions. */
final class Http {
    static final String USER_AGENT = "partnerhooks-java";
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client;
    private final String base;
    private final String token;

    Http(URI baseUrl, String token, HttpClient client) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("token is blank");
        }
        String b = baseUrl.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.token = token;
        this.client = Objects.requireNonNull(client, "client");
    }

    static HttpClient defaultClient() {
        // Redirects are not followed: a bearer token should not travel to wherever a 3xx points.
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    static String segment(String id) {
        Objects.requireNonNull(id, "id");
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String query(Map<String, ?> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> {
            if (v != null) {
                sb.append(sb.isEmpty() ? '?' : '&')
                        .append(k)
                        .append('=')
                        .append(URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
            }
        });
        return sb.toString();
    }

    /** Sends the call; the parsed JSON object of a 2xx answer (empty for 204), or throws. */
    Map<String, Object> send(String method, String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
        }
        HttpResponse<String> r;
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    method + " " + base + path + " failed: "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException(method + " " + path + " interrupted"));
        }
        int status = r.statusCode();
        String text = r.body() == null ? "" : r.body();
        if (status >= 200 && status < 300) {
            return text.isBlank() ? Map.of() : Json.parseObject(text);
        }
        throw PartnerhooksException.of(status, problemOf(status, text), retryAfter(r));
    }

    private static Map<String, Object> problemOf(int status, String text) {
        try {
            Object v = Json.parse(text);
            if (v instanceof Map<?, ?>) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) v;
                return m;
            }
        } catch (IllegalArgumentException notJson) {
            // a proxy's HTML page, say: keep what it said, shortened
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", (long) status);
        m.put("detail", text.length() > 200 ? text.substring(0, 200) : text);
        return m;
    }

    private static Duration retryAfter(HttpResponse<?> r) {
        return r.headers()
                .firstValue("Retry-After")
                .map(String::trim)
                .filter(s -> s.matches("\\d{1,9}"))
                .map(s -> Duration.ofSeconds(Long.parseLong(s)))
                .orElse(null);
    }
}

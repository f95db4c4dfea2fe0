package io.partnerhooks.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser stand-in for the dashboard: keeps cookies, does not follow redirects. */
public class UiBrowser {
    private final int port;

    public UiBrowser(int port) {
        this.port = port;
    }

    final HttpClient http = HttpClient.newHttpClient();
    public final Map<String, String> cookies = new LinkedHashMap<>();
    public final List<String> setCookies = new ArrayList<>();

    public HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /** A form with repeated names (checkboxes): name, value, name, value, ... */
    public HttpResponse<String> postPairs(String path, String... nameValues) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            body.append(body.isEmpty() ? "" : "&")
                    .append(URLEncoder.encode(nameValues[i], StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(nameValues[i + 1], StandardCharsets.UTF_8));
        }
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        if (!cookies.isEmpty()) {
            StringBuilder c = new StringBuilder();
            cookies.forEach((k, v) ->
                    c.append(c.isEmpty() ? "" : "; ").append(k).append('=').append(v));
            b.header("Cookie", c.toString());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        for (String sc : r.headers().allValues("set-cookie")) {
            setCookies.add(sc);
            String[] nv = sc.split(";", 2)[0].split("=", 2);
            if (sc.contains("Max-Age=0")) {
                cookies.remove(nv[0]);
            } else {
                cookies.put(nv[0], nv[1]);
            }
        }
        return r;
    }

    public String csrf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a CSRF field in " + html).isTrue();
        return m.group(1);
    }

    public void signIn(String key) throws Exception {
        HttpResponse<String> form = get("/ui/login");
        HttpResponse<String> r = post("/ui/login", Map.of("csrf", csrf(form.body()), "key", key));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
    }
}

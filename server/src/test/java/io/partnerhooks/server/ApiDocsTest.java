package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The rendered API reference at /docs: what it serves, under which policy, and what it refuses. */
class ApiDocsTest extends AppTestBase {
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    protected String databaseUrl() {
        return "";
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageLoadsSwaggerUiFromThisServerAndLinksTheDocument() throws Exception {
        var page = get("/docs");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertThat(csp)
                .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-eval")
                .doesNotContain("http");
        assertThat(page.body())
                .contains(
                        "href=\"/openapi.yaml\"", "src=\"/docs/assets/swagger-ui-bundle.js\"", "src=\"/docs/init.js\"")
                .doesNotContain("<script>")
                .doesNotContain("//cdn")
                .doesNotContain("https://");

        var init = get("/docs/init.js");
        assertThat(init.statusCode()).isEqualTo(200);
        assertThat(init.body()).contains("url: '/openapi.yaml'");

        var bundle = get("/docs/assets/swagger-ui-bundle.js");
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(bundle.body()).contains("SwaggerUIBundle");
        var css = get("/docs/assets/swagger-ui.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
    }

    @Test
    void onlyTheFilesThePageNeedsAreServed() throws Exception {
        for (String path : new String[] {
            "/docs/assets/index.html",
            "/docs/assets/swagger-initializer.js",
            "/docs/assets/..%2F..%2F..%2Fmaven%2Forg.webjars%2Fswagger-ui%2Fpom.properties",
            "/docs/assets/%2e%2e%2fpom.xml"
        }) {
            var r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type"))
                    .as(path)
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(r.body()).as(path).doesNotContain("Exception").doesNotContain("version=");
        }
    }
}

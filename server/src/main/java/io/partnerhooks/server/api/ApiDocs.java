package io.partnerhooks.server.api;

import io.javalin.http.Context;
import io.partnerhooks.core.error.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;

/**
 * The rendered API reference at {@code /docs}: Swagger UI, served from its webjar inside our own
 * jar (no CDN), reading {@code /openapi.yaml} from this server. Only the few files the page needs
 * are served, by name, so no path from the request ever reaches the class loader. The page has a
 * policy of its own: scripts and styles from this origin only (Swagger UI sets inline styles, so
 * styles also allow 'unsafe-inline'), no framing, no forms.
 */
public final class ApiDocs implements RouteGroup {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'";

    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "favicon-32x32.png", "image/png");

    private static final String INIT = """
            // Starts Swagger UI on the document this server serves.
            window.addEventListener('load', function () {
              window.ui = SwaggerUIBundle({
                url: '/openapi.yaml',
                dom_id: '#swagger-ui',
                deepLinking: true,
                validatorUrl: null,
                tryItOutEnabled: false
              });
            });
            """;

    private static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Partnerhooks API reference</title>
            <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
            <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
            </head>
            <body>
            <p style="font-family:sans-serif;margin:12px 20px">The OpenAPI document itself:
            <a href="/openapi.yaml">/openapi.yaml</a></p>
            <div id="swagger-ui"></div>
            <script src="/docs/assets/swagger-ui-bundle.js"></script>
            <script src="/docs/init.js"></script>
            </body>
            </html>
            """;

    private final String base;

    private ApiDocs(String base) {
        this.base = base;
    }

    /** Finds the webjar on the class path; fails at start-up if it is missing from the build. */
    public static ApiDocs fromWebjar() {
        Properties p = new Properties();
        try (InputStream in =
                ApiDocs.class.getResourceAsStream("/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the Swagger UI webjar is not on the class path");
            }
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Swagger UI webjar's version", e);
        }
        return new ApiDocs("/META-INF/resources/webjars/swagger-ui/" + p.getProperty("version") + "/");
    }

    @Override
    public void register(Routes r) {
        r.open()
                .get("/openapi.yaml", ApiDocs::document)
                .get("/docs", ctx -> {
                    secure(ctx);
                    ctx.contentType("text/html; charset=utf-8").result(PAGE);
                })
                .get("/docs/init.js", ctx -> {
                    secure(ctx);
                    ctx.contentType("text/javascript; charset=utf-8").result(INIT);
                })
                .get("/docs/assets/{file}", this::asset);
    }

    /** {@code GET /openapi.yaml}: the OpenAPI document packaged with the server. */
    private static void document(Context ctx) throws IOException {
        try (InputStream in = ApiDocs.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new NotFoundException("path", "the OpenAPI document is not packaged");
            }
            ctx.contentType("application/yaml").result(in.readAllBytes());
        }
    }

    private void asset(Context ctx) throws IOException {
        String file = ctx.pathParam("file");
        String type = ASSETS.get(file);
        if (type == null) {
            throw new NotFoundException("file", "no such file of the API reference: " + file);
        }
        try (InputStream in = ApiDocs.class.getResourceAsStream(base + file)) {
            if (in == null) {
                throw new NotFoundException("file", "the API reference's " + file + " is not packaged");
            }
            secure(ctx);
            ctx.header("Cache-Control", "public, max-age=86400");
            ctx.contentType(type).result(in.readAllBytes());
        }
    }

    private static void secure(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
    }
}

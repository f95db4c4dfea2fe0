package io.partnerhooks.server.api;

import io.partnerhooks.server.api.model.StatusResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What operators and load balancers poll: {@code /healthz}, {@code /readyz} and {@code /metrics}. */
public final class OpsRoutes implements RouteGroup {
    private final BooleanSupplier draining;
    private final BooleanSupplier databaseUp;
    private final String metricsToken;
    private final Supplier<String> scrape;

    /**
     * @param draining true once a shutdown began ({@code /readyz} answers 503 at once)
     * @param databaseUp whether the database answers now
     * @param metricsToken the bearer token {@code /metrics} needs; null: none
     * @param scrape the Prometheus text exposition
     */
    public OpsRoutes(
            BooleanSupplier draining, BooleanSupplier databaseUp, String metricsToken, Supplier<String> scrape) {
        this.draining = draining;
        this.databaseUp = databaseUp;
        this.metricsToken = metricsToken;
        this.scrape = scrape;
    }

    /** Open to the seam: {@code /metrics} checks its own token (PARTNERHOOKS_METRICS_TOKEN). */
    @Override
    public void register(Routes r) {
        r.open()
                .get("/healthz", ctx -> Json.send(ctx, 200, new StatusResponse("ok")))
                .get("/readyz", ctx -> {
                    if (draining.getAsBoolean()) {
                        Json.send(ctx, 503, new StatusResponse("shutting down"));
                        return;
                    }
                    boolean ok = databaseUp.getAsBoolean();
                    Json.send(ctx, ok ? 200 : 503, new StatusResponse(ok ? "ready" : "database unreachable"));
                })
                .get("/metrics", ctx -> {
                    if (metricsToken != null) {
                        String got = ctx.header("Authorization");
                        byte[] a = ("Bearer " + metricsToken).getBytes(StandardCharsets.UTF_8);
                        byte[] b = got == null ? new byte[0] : got.getBytes(StandardCharsets.UTF_8);
                        if (!MessageDigest.isEqual(a, b)) {
                            throw Problems.unauthorized(
                                    "/metrics needs the metrics token (PARTNERHOOKS_METRICS_TOKEN)");
                        }
                    }
                    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(scrape.get());
                });
    }
}

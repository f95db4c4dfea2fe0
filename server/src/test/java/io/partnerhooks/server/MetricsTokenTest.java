package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.partnerhooks.server.support.Api;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** PARTNERHOOKS_METRICS_TOKEN guards /metrics; PARTNERHOOKS_BIND_ADDRESS chooses where the server listens. */
class MetricsTokenTest extends AppTestBase {
    static final String TOKEN = "metrics-token-for-tests-0123";

    @Override
    protected String databaseUrl() {
        return "";
    }

    @Override
    Config config() {
        return super.config()
                .withClients(new Clients(Duration.ofSeconds(10), Duration.ofSeconds(30), 256, "127.0.0.1", TOKEN));
    }

    @Test
    void metricsNeedTheTokenWhenOneIsSet() {
        Api.Response none = api.get("/metrics", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.contentType()).startsWith("application/problem+json");
        assertThat(api.get("/metrics", "wrong-token-wrong-token").status()).isEqualTo(401);
        Api.Response ok = api.get("/metrics", TOKEN);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).contains("partnerhooks_");
        assertThat(api.get("/healthz", null).status()).as("health stays open").isEqualTo(200);
    }

    @Test
    void theServerListensOnlyOnTheBindAddress() throws Exception {
        try (var s = new Socket()) {
            assertThatThrownBy(() -> s.connect(new InetSocketAddress("127.0.0.2", app.port()), 1_000))
                    .isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> new Clients(Duration.ofSeconds(10), Duration.ofSeconds(30), 1, "eth0", null))
                .hasMessageContaining("BIND_ADDRESS");
        assertThatThrownBy(() -> new Clients(Duration.ofSeconds(10), Duration.ofSeconds(30), 1, "0.0.0.0", "short"))
                .hasMessageContaining("METRICS_TOKEN");
    }
}

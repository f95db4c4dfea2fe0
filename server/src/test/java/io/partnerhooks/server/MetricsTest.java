package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scrapes /metrics the way Prometheus does while real deliveries succeed and fail. */
public abstract class MetricsTest extends AppTestBase {

    private String scrape() {
        Api.Response r = api.get("/metrics", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain");
        return r.body();
    }

    /** The value of one series: its name, then every label given (in any order); 0 when absent. */
    static double value(String scrape, String name, String... labels) {
        List<String> matches = Arrays.stream(scrape.split("\n"))
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> Arrays.stream(labels).allMatch(l::contains))
                .toList();
        assertThat(matches).as(name + " " + Arrays.toString(labels)).hasSizeLessThanOrEqualTo(1);
        return matches.isEmpty() ? 0 : Double.parseDouble(matches.get(0).substring(matches.get(0).lastIndexOf(' ') + 1));
    }

    @Test
    void countersMoveAsDeliveriesSucceedAndFail() throws Exception {
        try (TestReceiver failing = new TestReceiver().always(TestReceiver.status(500))) {
            String[] p = partner("Acme");
            endpoint(p[1], receiver.url("/ok"), "[\"*\"]");
            endpoint(p[1], failing.url("/down"), "[\"account.updated\"]");
            String before = scrape();
            assertThat(value(before, "partnerhooks_deliveries_total", "outcome=\"delivered\"")).isZero();
            for (String always : new String[] {"partnerhooks_meta_callbacks_total", "partnerhooks_meta_callbacks_unroutable_total",
                "partnerhooks_queue_depth", "partnerhooks_queue_oldest_due_age_seconds", "partnerhooks_audit_entries_total"}) {
                assertThat(before).contains("\n" + always + " ");
            }
            assertThat(before).contains("partnerhooks_endpoints{state=\"cooldown\"}").contains("partnerhooks_endpoints{state=\"disabled\"}");

            publish(p[0], ANY_TYPE, "{}");
            await().atMost(WAIT).until(() -> value(scrape(), "partnerhooks_deliveries_total", "outcome=\"delivered\"") == 1);
            String ok = scrape();
            assertThat(value(ok, "partnerhooks_events_published_total", "domain=\"package\"")).isEqualTo(1);
            assertThat(value(ok, "partnerhooks_attempt_duration_seconds_count", "success=\"true\"")).isEqualTo(1);
            // a histogram: cumulative buckets that Prometheus' histogram_quantile() can use
            assertThat(value(ok, "partnerhooks_attempt_duration_seconds_bucket", "success=\"true\"", "le=\"+Inf\"")).isEqualTo(1);
            assertThat(ok.lines().filter(l -> l.startsWith("partnerhooks_attempt_duration_seconds_bucket{")).count())
                    .isGreaterThan(10);

            publish(p[0], "account.updated", "{}");
            await().atMost(WAIT).until(() -> value(scrape(), "partnerhooks_deliveries_total", "outcome=\"retry_scheduled\"") == 1);
            await().atMost(WAIT).until(() -> value(scrape(), "partnerhooks_deliveries_total", "outcome=\"delivered\"") == 2);
            String failed = scrape();
            assertThat(value(failed, "partnerhooks_attempt_failures_total", "class=\"http_500\"")).isEqualTo(1);
            assertThat(value(failed, "partnerhooks_attempt_duration_seconds_count", "success=\"false\"")).isEqualTo(1);
            assertThat(value(failed, "partnerhooks_events_published_total", "domain=\"account\"")).isEqualTo(1);
            // the retry waits in the shared queue (figures read from the database, at most once a second)
            await().atMost(WAIT).until(() -> value(scrape(), "partnerhooks_queue_depth") == 1);
            assertThat(value(failed, "partnerhooks_audit_entries_total")).isEqualTo(3);

            app.metrics().metaCallback();
            app.metrics().metaUnroutable(2);
            String meta = scrape();
            assertThat(value(meta, "partnerhooks_meta_callbacks_total")).isEqualTo(1);
            assertThat(value(meta, "partnerhooks_meta_callbacks_unroutable_total")).isEqualTo(2);
        }
    }
}

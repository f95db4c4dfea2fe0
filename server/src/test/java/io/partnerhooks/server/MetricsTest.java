package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
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
        return matches.isEmpty()
                ? 0
                : Double.parseDouble(matches.get(0).substring(matches.get(0).lastIndexOf(' ') + 1));
    }

    private void moveClock(Duration d) {
        clock.advance(d);
        app.dispatcher().wake();
    }

    @Test
    void countersMoveAsDeliveriesSucceedAndFail() throws Exception {
        try (TestReceiver failing = new TestReceiver().always(TestReceiver.status(500))) {
            String[] p = partner("Acme");
            endpoint(p[1], receiver.url("/ok"), "[\"*\"]");
            endpoint(p[1], failing.url("/down"), "[\"account.updated\"]");
            String before = scrape();
            assertThat(value(before, "partnerhooks_delivery_attempts_total", "result=\"success\""))
                    .isZero();
            for (String always : new String[] {
                "partnerhooks_meta_callbacks_total",
                "partnerhooks_meta_callbacks_unroutable_total",
                "partnerhooks_queue_depth",
                "partnerhooks_queue_oldest_due_age_seconds",
                "partnerhooks_audit_entries_total"
            }) {
                assertThat(before).contains("\n" + always + " ");
            }
            assertThat(before)
                    .contains("partnerhooks_endpoints{state=\"cooldown\"}")
                    .contains("partnerhooks_endpoints{state=\"disabled\"}");
            // every outcome and reason is there at zero before anything happened, so rate() and alerts see it
            for (String series : new String[] {
                "partnerhooks_delivery_attempts_total{result=\"failure\"} 0",
                "partnerhooks_deliveries_completed_total{outcome=\"delivered\"} 0",
                "partnerhooks_deliveries_completed_total{outcome=\"failed\"} 0",
                "partnerhooks_deliveries_completed_total{outcome=\"superseded\"} 0",
                "partnerhooks_queue_held_deliveries{reason=\"cooldown\"} 0",
                "partnerhooks_queue_held_deliveries{reason=\"disabled\"} 0",
                "partnerhooks_queue_held_deliveries{reason=\"rate_limited\"} 0"
            }) {
                assertThat(before).contains(series);
            }

            publish(p[0], ANY_TYPE, "{}");
            await().atMost(WAIT)
                    .until(() ->
                            value(scrape(), "partnerhooks_deliveries_completed_total", "outcome=\"delivered\"") == 1);
            String ok = scrape();
            assertThat(value(ok, "partnerhooks_events_published_total", "domain=\"package\""))
                    .isEqualTo(1);
            assertThat(value(ok, "partnerhooks_delivery_attempts_total", "result=\"success\""))
                    .isEqualTo(1);
            assertThat(value(ok, "partnerhooks_attempt_duration_seconds_count", "success=\"true\""))
                    .isEqualTo(1);
            // a histogram with a short fixed set of buckets that histogram_quantile() can use
            assertThat(value(ok, "partnerhooks_attempt_duration_seconds_bucket", "success=\"true\"", "le=\"+Inf\""))
                    .isEqualTo(1);
            assertThat(ok.lines()
                            .filter(l -> l.startsWith("partnerhooks_attempt_duration_seconds_bucket{"))
                            .map(l -> l.replaceAll(".*le=\"([^\"]+)\".*", "$1"))
                            .toList())
                    .containsExactly(
                            "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "30.0",
                            "+Inf");

            publish(p[0], "account.updated", "{}");
            await().atMost(WAIT)
                    .until(() -> value(scrape(), "partnerhooks_delivery_attempts_total", "result=\"failure\"") == 1);
            await().atMost(WAIT)
                    .until(() ->
                            value(scrape(), "partnerhooks_deliveries_completed_total", "outcome=\"delivered\"") == 2);
            String failed = scrape();
            assertThat(value(failed, "partnerhooks_attempt_failures_total", "class=\"http_500\""))
                    .isEqualTo(1);
            assertThat(value(failed, "partnerhooks_attempt_duration_seconds_count", "success=\"false\""))
                    .isEqualTo(1);
            assertThat(value(failed, "partnerhooks_events_published_total", "domain=\"account\""))
                    .isEqualTo(1);
            // a retry is scheduled: an attempt, no completion
            assertThat(value(failed, "partnerhooks_deliveries_completed_total", "outcome=\"failed\""))
                    .isZero();
            // the deprecated name still counts attempts by what came of them (kept for one release)
            assertThat(value(failed, "partnerhooks_deliveries_total", "outcome=\"retry_scheduled\""))
                    .isEqualTo(1);
            assertThat(value(failed, "partnerhooks_deliveries_total", "outcome=\"delivered\""))
                    .isEqualTo(2);
            // the retry waits in the shared queue (figures read from the database, at most every 2 s)
            await().atMost(WAIT).until(() -> value(scrape(), "partnerhooks_queue_depth") == 1);
            assertThat(value(failed, "partnerhooks_audit_entries_total")).isEqualTo(3);

            app.metrics().metaCallback();
            app.metrics().metaUnroutable(2);
            String meta = scrape();
            assertThat(value(meta, "partnerhooks_meta_callbacks_total")).isEqualTo(1);
            assertThat(value(meta, "partnerhooks_meta_callbacks_unroutable_total"))
                    .isEqualTo(2);
        }
    }

    @Test
    void aDeliveryThatFailsOnceThenSucceedsIsTwoAttemptsAndOneCompletion() {
        receiver.then(TestReceiver.status(500));
        String[] p = partner("Twice");
        endpoint(p[1], receiver.url("/flaky"), "[\"*\"]");
        publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT)
                .until(() -> value(scrape(), "partnerhooks_delivery_attempts_total", "result=\"failure\"") == 1);
        moveClock(Duration.ofHours(1));
        await().atMost(WAIT)
                .until(() -> value(scrape(), "partnerhooks_deliveries_completed_total", "outcome=\"delivered\"") == 1);
        String m = scrape();
        assertThat(value(m, "partnerhooks_delivery_attempts_total", "result=\"failure\"")
                        + value(m, "partnerhooks_delivery_attempts_total", "result=\"success\""))
                .isEqualTo(2);
        assertThat(value(m, "partnerhooks_delivery_attempts_total", "result=\"success\""))
                .isEqualTo(1);
        assertThat(value(m, "partnerhooks_deliveries_completed_total", "outcome=\"delivered\""))
                .isEqualTo(1);
        assertThat(value(m, "partnerhooks_deliveries_completed_total", "outcome=\"failed\""))
                .isZero();
        assertThat(value(m, "partnerhooks_deliveries_completed_total", "outcome=\"superseded\""))
                .isZero();
        assertThat(receiver.received()).hasSize(2);
    }

    private static final Pattern ROUTE = Pattern.compile("route=\"([^\"]*)\"");

    @Test
    void httpRequestsAreCountedByRouteTemplateAndStatusClassNeverByRawPath() {
        String[] p = partner("Routes");
        String id = endpoint(p[1], receiver.url("/r"), "[\"*\"]").get("id").asText();
        assertThat(api.get("/v1/endpoints/" + id, p[1]).status()).isEqualTo(200);
        assertThat(api.get("/v1/endpoints/" + id, p[1]).status()).isEqualTo(200);
        assertThat(api.get("/v1/endpoints/ep_doesnotexist", p[1]).status()).isEqualTo(404);
        assertThat(api.get("/no/such/route/ep_123456", p[1]).status()).isEqualTo(404);
        assertThat(api.get("/another/unknown/path", null).status()).isEqualTo(404);
        String m = scrape();
        assertThat(value(
                        m,
                        "http_server_requests_seconds_count",
                        "method=\"GET\"",
                        "route=\"/v1/endpoints/{id}\"",
                        "status=\"2xx\""))
                .isEqualTo(2);
        assertThat(value(
                        m,
                        "http_server_requests_seconds_count",
                        "method=\"GET\"",
                        "route=\"/v1/endpoints/{id}\"",
                        "status=\"4xx\""))
                .isEqualTo(1);
        assertThat(value(
                        m,
                        "http_server_requests_seconds_count",
                        "method=\"POST\"",
                        "route=\"/v1/endpoints\"",
                        "status=\"2xx\""))
                .isEqualTo(1);
        // both unknown paths share one series
        assertThat(value(
                        m,
                        "http_server_requests_seconds_count",
                        "method=\"GET\"",
                        "route=\"NOT_FOUND\"",
                        "status=\"4xx\""))
                .isEqualTo(2);
        assertThat(value(
                        m,
                        "http_server_requests_seconds_bucket",
                        "method=\"GET\"",
                        "route=\"/v1/endpoints/{id}\"",
                        "status=\"2xx\"",
                        "le=\"+Inf\""))
                .isEqualTo(2);

        // every route label is a registered template (or the one label of unmatched requests): no ids, no raw paths
        Set<String> templates = new TreeSet<>(Set.of("NOT_FOUND", "METHOD_NOT_ALLOWED"));
        app.routes().forEach(r -> templates.add(r.substring(r.indexOf(' ') + 1)));
        Set<String> labels = new TreeSet<>();
        Matcher matcher = ROUTE.matcher(m);
        while (matcher.find()) {
            labels.add(matcher.group(1));
        }
        assertThat(labels).contains("/v1/endpoints/{id}", "/v1/endpoints", "/platform/v1/partners", "NOT_FOUND");
        assertThat(templates).containsAll(labels);
        assertThat(m).doesNotContain(id).doesNotContain("ep_doesnotexist").doesNotContain("/no/such/route");
    }

    @Test
    void buildInfoJvmAndProcessMetricsAreThere() {
        String m = scrape();
        assertThat(value(
                        m,
                        "partnerhooks_build_info",
                        "version=\"" + App.VERSION + "\"",
                        "java_version=\"" + System.getProperty("java.version") + "\""))
                .isEqualTo(1);
        for (String name : new String[] {
            "jvm_memory_used_bytes{",
            "jvm_memory_max_bytes{",
            "jvm_gc_memory_allocated_bytes_total ",
            "jvm_threads_live_threads ",
            "jvm_threads_states_threads{",
            "jvm_classes_loaded_classes ",
            "process_cpu_usage ",
            "process_cpu_seconds_total ",
            "process_uptime_seconds ",
            "process_start_time_seconds ",
            "process_files_open_files ",
            "process_files_max_files ",
            "system_cpus "
        }) {
            assertThat(m).as(name).contains("\n" + name);
        }
    }

    @Test
    void deliveriesOfADisabledEndpointAreHeldAndLeftOutOfTheOldestDueAge() {
        receiver.then(TestReceiver.status(500));
        String[] p = partner("Held");
        String ep = endpoint(p[1], receiver.url("/off"), "[\"*\"]").get("id").asText();
        publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT)
                .until(() -> value(scrape(), "partnerhooks_delivery_attempts_total", "result=\"failure\"") == 1);
        Api.Response off = api.call("PATCH", "/v1/endpoints/" + ep, p[1], "{\"enabled\":false}");
        assertThat(off.status()).as(off.body()).isEqualTo(200);
        // the retry falls due an hour later, but nothing may send it: held, not overdue
        moveClock(Duration.ofHours(1));
        await().atMost(WAIT)
                .until(() -> value(scrape(), "partnerhooks_queue_held_deliveries", "reason=\"disabled\"") == 1);
        String m = scrape();
        assertThat(value(m, "partnerhooks_queue_due")).isEqualTo(1);
        assertThat(value(m, "partnerhooks_queue_oldest_due_age_seconds")).isZero();
        assertThat(value(m, "partnerhooks_queue_held_deliveries", "reason=\"cooldown\""))
                .isZero();
        assertThat(value(m, "partnerhooks_endpoints", "state=\"disabled\"")).isEqualTo(1);
    }

    /** Prometheus' own linter accepts the whole exposition, JVM and HTTP metrics included. */
    @Test
    void promtoolAcceptsTheScrape() throws Exception {
        String promtool = onPath("promtool");
        if (promtool == null) {
            String why = "promtool is not installed (Debian: apt-get install prometheus)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + " (CI=true: .ci/run should have installed it)");
            }
            Assumptions.abort(why + "; skipped outside CI");
        }
        String m = scrapeAfterSomeDeliveries();
        // kept for a reader of the build: what the linter saw
        Files.writeString(Path.of("target", "metrics-scrape-" + getClass().getSimpleName() + ".txt"), m);
        Process check = new ProcessBuilder(promtool, "check", "metrics")
                .redirectErrorStream(true)
                .start();
        try (var in = check.getOutputStream()) {
            in.write(m.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        System.out.println("promtool check metrics (" + m.lines().count() + " lines): exit " + check.exitValue()
                + (out.isBlank() ? ", no findings" : "\n" + out));
        assertThat(out).as("promtool findings").isBlank();
        assertThat(check.exitValue()).as(out).isZero();
    }

    /** A scrape after deliveries that succeeded and failed, and a request no route matched. */
    private String scrapeAfterSomeDeliveries() throws Exception {
        try (TestReceiver failing = new TestReceiver().always(TestReceiver.status(503))) {
            String[] p = partner("Lint");
            endpoint(p[1], receiver.url("/ok"), "[\"*\"]");
            endpoint(p[1], failing.url("/down"), "[\"*\"]");
            for (int i = 0; i < 3; i++) {
                publish(p[0], ANY_TYPE, "{}");
            }
            await().atMost(WAIT)
                    .until(() -> value(scrape(), "partnerhooks_delivery_attempts_total", "result=\"success\"") == 3
                            && value(scrape(), "partnerhooks_delivery_attempts_total", "result=\"failure\"") == 3);
        }
        api.get("/nope", null);
        return scrape();
    }

    private static final Pattern METRIC_NAME =
            Pattern.compile("`((?:partnerhooks|jvm|process|system|http)_[a-z0-9_*]+)");
    /** Families that appear once the collector has run (a GC pause, a concurrent phase). */
    private static final Set<String> AFTER_FIRST_GC =
            Set.of("jvm_gc_pause_seconds", "jvm_gc_concurrent_phase_time_seconds");
    /** Micrometer's names the README says are replaced. */
    private static final Set<String> REPLACED = Set.of("process_cpu_time_ns_total", "system_cpu_count");

    @Test
    void theReadmeListsExactlyWhatMetricsExposes() throws Exception {
        String m = scrapeAfterSomeDeliveries();
        Path root = Path.of(System.getProperty("basedir", "."), "..")
                .toAbsolutePath()
                .normalize();
        String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
        int from = readme.indexOf("- **`/metrics`**");
        int to = readme.indexOf("- **Audit log.**", from);
        assertThat(from).as("README has the /metrics item").isNotNegative();
        Set<String> documented = new TreeSet<>();
        Matcher names = METRIC_NAME.matcher(readme.substring(from, to));
        while (names.find()) {
            documented.add(names.group(1));
        }
        Set<String> exposed = new TreeSet<>();
        m.lines().filter(l -> l.startsWith("# TYPE ")).forEach(l -> exposed.add(l.split(" ")[2]));

        for (String family : exposed) {
            String base = family.endsWith("_max") ? family.substring(0, family.length() - 4) : family;
            boolean listed = documented.contains(family)
                    || documented.contains(base)
                    || documented.stream()
                            .anyMatch(d -> d.endsWith("*") && family.startsWith(d.substring(0, d.length() - 1)));
            assertThat(listed)
                    .as(family + " is exposed but not in the README's /metrics list")
                    .isTrue();
        }
        for (String name : documented) {
            if (REPLACED.contains(name)) {
                assertThat(exposed).as(name + " is said to be replaced").doesNotContain(name);
            } else if (name.endsWith("*")) {
                assertThat(exposed).as(name).anyMatch(f -> f.startsWith(name.substring(0, name.length() - 1)));
            } else if (!AFTER_FIRST_GC.contains(name) && !name.endsWith("_bucket")) {
                assertThat(exposed)
                        .as(name + " is in the README but not exposed")
                        .contains(name);
            }
        }
    }

    private static String onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, tool);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }
}

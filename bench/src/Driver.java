import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The load generator and the ceiling measurements: a process of its own beside the server and
 * the receiver. Phases (one per invocation, chosen by the first argument):
 *
 * <ul>
 *   <li>{@code main}: sets up partners and endpoints through the API, then runs every product
 *       figure interleaved with its ceiling (A B A B), each run preceded by a wait for a quiet
 *       machine, and writes the samples as JSON.</li>
 *   <li>{@code backlog-fill}: with the server stopped, writes N due deliveries straight into its
 *       database (copies of one published event, fanned out to the backlog partner's endpoints).</li>
 *   <li>{@code backlog-drain}: with the server running again, follows the receiver's count once a
 *       second until all N have arrived; samples the server's RSS from /proc.</li>
 * </ul>
 */
public final class Driver {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    static final ExecutorService VT = Executors.newVirtualThreadPerTaskExecutor();
    static final String TYPE = "message.sent";
    static final int WORKSPACES = 20;

    final Map<String, String> opt = new HashMap<>();
    String server;
    String receiver;
    String token;
    int concurrency;
    double seconds;
    int repeats;
    double quietCap;
    double latencySeconds;
    String eventData;

    public static void main(String[] args) throws Exception {
        Driver d = new Driver();
        for (int i = 1; i + 1 < args.length; i += 2) {
            d.opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        d.server = d.opt.get("server");
        d.receiver = d.opt.get("receiver");
        d.token = d.opt.get("token");
        d.concurrency = Integer.parseInt(d.opt.getOrDefault("concurrency", "32"));
        d.seconds = Double.parseDouble(d.opt.getOrDefault("seconds", "5"));
        d.repeats = Integer.parseInt(d.opt.getOrDefault("repeats", "3"));
        d.quietCap = Double.parseDouble(d.opt.getOrDefault("quiet-cap", "20"));
        d.latencySeconds = Double.parseDouble(d.opt.getOrDefault("latency-seconds", d.opt.getOrDefault("seconds", "5")));
        try (InputStream in = Driver.class.getResourceAsStream("/catalog/" + TYPE + "/example.json")) {
            d.eventData = JSON.readTree(in).toString();
        }
        switch (args[0]) {
            case "main" -> d.mainPhase();
            case "backlog-fill" -> d.backlogFill();
            case "backlog-drain" -> d.backlogDrain();
            case "quiet" -> System.out.println(JSON.writeValueAsString(quiet(Double.parseDouble(args[1]))));
            default -> throw new IllegalArgumentException("unknown phase " + args[0]);
        }
        System.exit(0);
    }

    static void log(String s) {
        System.err.println("[bench " + Instant.now().toString().substring(11, 19) + "] " + s);
    }

    // ---------------------------------------------------------------- HTTP helpers

    static HttpResponse<String> call(String method, String url, String bearer, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode ok(HttpResponse<String> r, int expected) throws IOException {
        if (r.statusCode() != expected) {
            throw new IllegalStateException(r.request().method() + " " + r.request().uri() + " answered "
                    + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    String publishBody(String partner) {
        return "{\"type\":\"" + TYPE + "\",\"partner_id\":\"" + partner
                + "\",\"subject\":{\"workspace_id\":\"ws_bench\"},\"data\":" + eventData + "}";
    }

    /** Creates a partner with n endpoints at {receiver}/{prefix}/{group}/{i}; returns {id, key, endpoint ids...}. */
    List<String> partner(String name, int n, String prefix, String group) throws Exception {
        return partner(name, n, prefix, group, "");
    }

    /** As above; {@code extra} is added to each endpoint's body (e.g. {@code ,"max_in_flight":100}). */
    List<String> partner(String name, int n, String prefix, String group, String extra) throws Exception {
        JsonNode p = ok(call("POST", server + "/platform/v1/partners", token, "{\"name\":\"" + name + "\"}"), 201);
        List<String> out = new ArrayList<>(List.of(p.get("id").asText(), p.get("api_key").asText()));
        for (int i = 0; i < n; i++) {
            JsonNode e = ok(call("POST", server + "/v1/endpoints", out.get(1), "{\"url\":\"" + receiver + "/" + prefix
                    + "/" + group + "/" + i + "\",\"event_types\":[\"" + TYPE + "\"]" + extra + "}"), 201);
            out.add(e.get("id").asText());
        }
        return out;
    }

    long[] receiverStats(String group) throws Exception {
        String[] f = call("GET", receiver + "/_stats?group=" + group, null, null).body().trim().split(" ");
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])};
    }

    void receiverReset(String group) throws Exception {
        call("POST", receiver + "/_reset" + (group == null ? "" : "?group=" + group), null, "");
    }

    static long nowMicros() {
        Instant n = Instant.now();
        return n.getEpochSecond() * 1_000_000L + n.getNano() / 1_000;
    }

    // ---------------------------------------------------------------- quiet machine

    static long[] cpuTimes() throws IOException {
        String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
        String[] f = line.trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total, idle};
    }

    /** Cores busy over the last half second, by /proc/stat. */
    static double busyCores() throws Exception {
        long[] a = cpuTimes();
        Thread.sleep(500);
        long[] b = cpuTimes();
        double dt = b[0] - a[0];
        return dt <= 0 ? 0 : (dt - (b[1] - a[1])) / dt * Runtime.getRuntime().availableProcessors();
    }

    /** Waits until the machine uses under 0.15 cores or the cap passes; returns what it saw. */
    static ObjectNode quiet(double capSeconds) throws Exception {
        long t0 = System.nanoTime();
        double load = busyCores();
        while (load >= 0.15 && (System.nanoTime() - t0) / 1e9 < capSeconds) {
            load = busyCores();
        }
        ObjectNode q = JSON.createObjectNode();
        q.put("load_cores", Math.round(load * 100) / 100.0);
        q.put("waited_s", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        q.put("quiet", load < 0.15);
        return q;
    }

    // ---------------------------------------------------------------- closed and open loops

    interface Call {
        boolean run() throws Exception;
    }

    /** Closed loop: {@code concurrency} workers call back to back for {@code seconds}; successes per second. */
    double closedLoop(double secs, int workers, Call call) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong okCount = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Future<?>> fs = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < workers; i++) {
            fs.add(VT.submit(() -> {
                while (!stop.get()) {
                    try {
                        if (call.run()) {
                            okCount.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        Thread.sleep((long) (secs * 1000));
        long n = okCount.get();
        long t1 = System.nanoTime();
        stop.set(true);
        for (var f : fs) {
            f.get();
        }
        if (errors.get() > 0) {
            log("  " + errors.get() + " calls failed");
        }
        return n / ((t1 - t0) / 1e9);
    }

    /**
     * Open loop at a fixed rate: call i is due at start + i/rate and its latency counts from that
     * due time (so a stall is not hidden by sending less). {@code call} gets the due time in wall
     * microseconds and its index.
     */
    void openLoop(double secs, int rate, BiConsumer<Long, Integer> call) throws Exception {
        int n = (int) (secs * rate);
        long startNanos = System.nanoTime() + 20_000_000;
        long startMicros = nowMicros() + 20_000;
        List<Future<?>> fs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long due = startNanos + (long) i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            final int idx = i;
            final long dueMicros = startMicros + (long) i * 1_000_000L / rate;
            fs.add(VT.submit(() -> call.accept(dueMicros, idx)));
        }
        for (var f : fs) {
            f.get();
        }
    }

    // ---------------------------------------------------------------- the main phase

    record Setup(List<String> a1, List<String> a10, List<String> e10, List<String> l1, List<String> hang,
            String usagePartner, List<String> o4, List<String> b1, List<String> ord, List<String> unord,
            List<String> ord1) {}

    Setup setup() throws Exception {
        Setup s = new Setup(partner("bench-accept-1", 1, "ok", "a1"), partner("bench-accept-10", 10, "ok", "a10"),
                partner("bench-e2e", 10, "ok", "e10"), partner("bench-latency", 1, "ok", "l1"),
                partner("bench-hang", smoke() ? 0 : 100, "hang", "x"), partner("bench-usage", 0, "ok", "u").get(0),
                partner("bench-open-4000", 1, "ok", "o4", ",\"max_in_flight\":100"), partner("bench-batch", 1, "ok", "b1"),
                partner("bench-ordered", 1, "ok", "ord", ",\"max_in_flight\":100,\"ordering\":\"ordered\""),
                partner("bench-unordered", 1, "ok", "unord", ",\"max_in_flight\":100"),
                partner("bench-ordered-1", 1, "ok", "ord1", ",\"max_in_flight\":100,\"ordering\":\"ordered\""));
        for (int i = 0; i < WORKSPACES; i++) {
            ok(call("PUT", server + "/platform/v1/workspaces/ws_bench_" + i, token, "{\"partner_id\":\"" + s.usagePartner()
                    + "\",\"seats_purchased\":10,\"messaging_quota\":1000000000,\"transactions_quota\":1000000000,"
                    + "\"api_calls_quota\":1000000000,\"billing_period_start\":\"2026-01-01T00:00:00Z\","
                    + "\"billing_period_end\":\"2100-01-01T00:00:00Z\"}"), 200);
        }
        return s;
    }

    boolean publish(String partner) throws Exception {
        return call("POST", server + "/platform/v1/events", token, publishBody(partner)).statusCode() == 202;
    }

    /** Waits until the receiver's total count stops moving (the server has caught up). */
    void settle(double capSeconds) throws Exception {
        long t0 = System.nanoTime();
        long last = -1;
        while ((System.nanoTime() - t0) / 1e9 < capSeconds) {
            long now = receiverStats("-")[3];
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(500);
        }
    }

    ObjectNode sample(ObjectNode q, double value) {
        ObjectNode s = JSON.createObjectNode();
        s.put("value", Math.round(value * 10) / 10.0);
        s.setAll(q);
        return s;
    }

    void mainPhase() throws Exception {
        String jdbc = opt.get("jdbc");
        Setup s = setup();
        log("set up: partners with 1, 10, 10, 1 and 100 (hanging) endpoints, 100 workspaces");
        ObjectNode out = JSON.createObjectNode();
        Map<String, ArrayNode> samples = new LinkedHashMap<>();
        Function<String, ArrayNode> series = k -> samples.computeIfAbsent(k, x -> JSON.createArrayNode());
        String ceilingBody = publishBody(s.a1().get(0));
        boolean metaServed = metaServed();
        if (metaServed) {
            setupMetaNumber();
        }
        boolean batchServed = batchServed();
        boolean orderingServed = s.ord() != null;
        ObjectNode latencyHist = null;
        ObjectNode latencyCeilingHist = null;
        // warm-up: JIT, connection pools, SQLite page cache
        closedLoop(Math.min(2, seconds), concurrency, () -> publish(s.a1().get(0)));
        settle(smoke() ? 5 : 30);
        for (int rep = 0; rep < repeats; rep++) {
            log("round " + (rep + 1) + " of " + repeats);
            ObjectNode q;

            q = quiet(quietCap);
            double v = closedLoop(seconds, concurrency, () -> publish(s.a1().get(0)));
            series.apply("accepted_1").add(sample(q, v));
            log("  accepted/s, 1 endpoint: " + Math.round(v) + "  (load before " + q.get("load_cores") + ")");
            settle(60);

            q = quiet(quietCap);
            v = dbCeiling(jdbc, seconds);
            series.apply("ceiling_db_insert").add(sample(q, v));
            log("  ceiling: multi-row inserts, rows/s: " + Math.round(v));

            q = quiet(quietCap);
            v = closedLoop(seconds, concurrency, () -> publish(s.a10().get(0)));
            series.apply("accepted_10").add(sample(q, v));
            log("  accepted/s, 10 endpoints: " + Math.round(v));
            settle(120);

            q = quiet(quietCap);
            v = closedLoop(seconds, concurrency, () -> call("POST", receiver + "/ok/ceiling/0", null, ceilingBody).statusCode() == 200);
            series.apply("ceiling_http").add(sample(q, v));
            log("  ceiling: raw HTTP POSTs/s to the receiver: " + Math.round(v));

            q = quiet(quietCap);
            Cost cost = new Cost().begin();
            v = endToEnd(s.e10().get(0), "e10", 10);
            ObjectNode sm = sample(q, v);
            sm.set("cost", cost.end(receiverStats("e10")[0]));
            series.apply("e2e_deliveries").add(sm);
            log("  end-to-end deliveries/s: " + Math.round(v) + costLine(sm));

            q = quiet(quietCap);
            cost = new Cost().begin();
            ObjectNode lat = latency(s.l1().get(0), "l1");
            lat.set("cost", cost.end(lat.get("received").asLong()));
            ObjectNode ls = sample(q, lat.get("p99_ms").asDouble());
            ls.setAll(lat);
            ls.remove("histogram");
            series.apply("latency").add(ls);
            latencyHist = (ObjectNode) lat.get("histogram");
            log("  publish->receipt at 1,000/s: p50 " + lat.get("p50_ms") + " p99 " + lat.get("p99_ms") + " max "
                    + lat.get("max_ms") + " ms (" + lat.get("received") + "/" + lat.get("sent") + " arrived; "
                    + keptUp(lat) + ")" + costLine(lat));

            q = quiet(quietCap);
            ObjectNode lc = latencyCeiling(ceilingBody);
            ObjectNode lcs = sample(q, lc.get("p99_ms").asDouble());
            lcs.setAll(lc);
            lcs.remove("histogram");
            series.apply("ceiling_latency").add(lcs);
            latencyCeilingHist = (ObjectNode) lc.get("histogram");
            log("  ceiling: raw POST round trip at 1,000/s: p50 " + lc.get("p50_ms") + " p99 " + lc.get("p99_ms") + " ms");

            q = quiet(quietCap);
            AtomicInteger ws = new AtomicInteger();
            v = closedLoop(seconds, concurrency, () -> call("POST", server + "/platform/v1/usage", token,
                    "[{\"workspace_id\":\"ws_bench_" + (ws.getAndIncrement() % WORKSPACES) + "\",\"messaging_increment\":1}]")
                    .statusCode() == 202);
            series.apply("usage_updates").add(sample(q, v));
            log("  usage counter updates/s: " + Math.round(v));

            q = quiet(quietCap);
            cost = new Cost().begin();
            ObjectNode o4 = latency(s.o4().get(0), "o4", 4000, smoke() ? 0.25 : latencySeconds);
            o4.set("cost", cost.end(o4.get("received").asLong()));
            ObjectNode o4s = sample(q, o4.get("p99_ms").asDouble());
            o4s.setAll(o4);
            o4s.remove("histogram");
            series.apply("open_4000").add(o4s);
            log("  one endpoint (max_in_flight 100), open loop 4,000/s: p50 " + o4.get("p50_ms") + " p99 " + o4.get("p99_ms")
                    + " max " + o4.get("max_ms") + " ms (" + keptUp(o4) + ")" + costLine(o4));
            settle(60);

            if (batchServed) {
                q = quiet(quietCap);
                cost = new Cost().begin();
                ObjectNode b = batchPublish(s.b1().get(0), "b1");
                ObjectNode bs = sample(q, b.get("events_per_s").asDouble());
                bs.setAll(b);
                bs.set("cost", cost.end(b.get("delivered").asLong()));
                series.apply("batch_events").add(bs);
                log("  batch publish (" + BATCH + " events a request), events accepted/s: " + Math.round(b.get("events_per_s").asDouble())
                        + " (" + b.get("delivered") + " delivered)" + costLine(bs));
            }

            if (orderingServed) {
                q = quiet(quietCap);
                v = keyed(s.unord().get(0), "unord", 1000);
                series.apply("unordered_1000_keys").add(sample(q, v));
                q = quiet(quietCap);
                v = keyed(s.ord().get(0), "ord", 1000);
                series.apply("ordered_1000_keys").add(sample(q, v));
                q = quiet(quietCap);
                double one = keyed(s.ord1().get(0), "ord1", 1);
                series.apply("ordered_1_key").add(sample(q, one));
                log("  one endpoint (max_in_flight 100), 1,000 keys: unordered " + Math.round(series.apply("unordered_1000_keys")
                        .get(series.apply("unordered_1000_keys").size() - 1).get("value").asDouble()) + "/s, ordered "
                        + Math.round(v) + "/s; one key, ordered: " + Math.round(one) + "/s");
            }

            if (metaServed) {
                q = quiet(quietCap);
                cost = new Cost().begin();
                ObjectNode mo = metaOpenLoop();
                mo.set("cost", cost.end(mo.get("relayed").asLong()));
                ObjectNode mos = sample(q, mo.get("p99_ms").asDouble());
                mos.setAll(mo);
                mos.remove("histogram");
                series.apply("meta_open").add(mos);
                log("  Meta callbacks, open loop 1,000/s (relayed to a 50 ms webhook): ack p50 " + mo.get("p50_ms") + " p99 "
                        + mo.get("p99_ms") + " max " + mo.get("max_ms") + " ms, " + mo.get("over_1s") + " over 1 s; "
                        + mo.get("relayed") + " relayed"
                        + (mo.path("failed").asLong() > 0 ? "; " + mo.get("failed") + " failed: " + mo.get("failed_by") : "")
                        + costLine(mos));
            }

            if (metaServed) {
                q = quiet(quietCap);
                String secret = System.getenv().getOrDefault("PARTNERHOOKS_META_APP_SECRET", "bench-meta-secret");
                AtomicLong k = new AtomicLong();
                v = closedLoop(seconds, concurrency, () -> {
                    String body = metaBody("wamid.bench" + k.incrementAndGet());
                    HttpRequest r = HttpRequest.newBuilder(URI.create(server + "/meta/webhook"))
                            .header("Content-Type", "application/json")
                            .header("X-Hub-Signature-256", "sha256=" + hmac(secret, body))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    int st = HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
                    return st >= 200 && st < 300;
                });
                series.apply("meta_callbacks").add(sample(q, v));
                log("  Meta callbacks accepted/s (each relayed to a number's webhook): " + Math.round(v));
            }
            settle(60);
        }
        if (!metaServed) {
            log("meta: not served by this build");
            out.put("meta", "not served by this build");
        }
        if (!batchServed) {
            log("batch publish: not served by this build");
            out.put("batch", "not served by this build");
        }
        if (!smoke()) {
            isolation(s, series);
        }
        ObjectNode figs = out.putObject("samples");
        samples.forEach(figs::set);
        if (latencyHist != null) {
            out.set("latency_histogram", latencyHist);
        }
        if (latencyCeilingHist != null) {
            out.set("ceiling_latency_histogram", latencyCeilingHist);
        }
        Files.writeString(Path.of(opt.get("out")), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
        // the backlog phase needs the backlog partner; record what it needs
        Properties p = new Properties();
        p.setProperty("template_partner", s.l1().get(0));
        p.setProperty("backlog_partner", s.a10().get(0));
        try (var w = Files.newBufferedWriter(Path.of(opt.get("state")))) {
            p.store(w, "bench state");
        }
    }

    /** The CI smoke run: every step once and briefly, no isolation (its hanging sends outlast seconds). */
    boolean smoke() {
        return Boolean.parseBoolean(opt.getOrDefault("smoke", "false"));
    }

    boolean metaServed() throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(server + "/meta/webhook"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        int st = HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
        return st != 404 && st != 405;
    }

    static String keptUp(JsonNode o) {
        return (o.get("kept_up").asBoolean() ? "kept up" : "fell behind") + ": achieved " + o.get("achieved_publish_per_s")
                + " publishes/s, " + o.get("achieved_delivery_per_s") + " deliveries/s of " + o.get("offered_per_s") + "/s offered"
                + (o.path("failed_publishes").asLong() > 0 ? "; " + o.get("failed_publishes") + " publishes failed: " + o.get("failed_by") : "");
    }

    static String costLine(JsonNode o) {
        JsonNode c = o.get("cost");
        if (c == null) {
            return "";
        }
        String line = "; per delivery: server CPU " + c.get("server_cpu_ms_per_delivery") + " ms";
        if (c.has("db_cpu_ms_per_delivery")) {
            line += ", db CPU " + c.get("db_cpu_ms_per_delivery") + " ms, " + c.get("sql_statements_per_delivery") + " statements, "
                    + c.get("row_writes_per_delivery") + " row writes (" + c.get("hot_updates_per_delivery") + " HOT), "
                    + c.get("wal_bytes_per_delivery") + " WAL bytes; dead tuples after " + c.get("dead_tuples_after");
        }
        return line;
    }

    static final int BATCH = 100;

    /** Whether this build has POST /platform/v1/events/batch (an empty batch is a 400 there, a 404 before). */
    boolean batchServed() throws Exception {
        int st = call("POST", server + "/platform/v1/events/batch", token, "{\"events\":[]}").statusCode();
        return st != 404 && st != 405;
    }

    /**
     * Closed loop of batch publishes, {@link #BATCH} events a request, to a partner with one
     * endpoint: events accepted (202) per second; then waits for their deliveries.
     */
    ObjectNode batchPublish(String partner, String group) throws Exception {
        receiverReset(group);
        StringBuilder b = new StringBuilder("{\"events\":[");
        for (int i = 0; i < BATCH; i++) {
            b.append(i == 0 ? "" : ",").append(publishBody(partner));
        }
        String body = b.append("]}").toString();
        AtomicLong accepted = new AtomicLong();
        double requests = closedLoop(seconds, concurrency, () -> {
            HttpResponse<String> r = call("POST", server + "/platform/v1/events/batch", token, body);
            if (r.statusCode() == 202) {
                accepted.addAndGet(BATCH);
                return true;
            }
            return false;
        });
        long[] st = waitFor(group, accepted.get(), 120);
        if (st[0] < accepted.get()) {
            log("  only " + st[0] + " of " + accepted.get() + " batch-published events delivered within 120 s");
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("events_per_request", BATCH);
        o.put("requests_per_s", round2(requests));
        o.put("events_per_s", Math.round(requests * BATCH));
        o.put("accepted", accepted.get());
        o.put("delivered", st[0]);
        return o;
    }

    static final String META_SLOW_PNID = "109000000000002";

    /**
     * Signed Meta callbacks in an open loop at 1,000/s, each for a number whose webhook answers after
     * 50 ms: Meta's view, the time from each callback's scheduled send to our answer. Then waits
     * (at most 120 s) for the relays to arrive.
     */
    ObjectNode metaOpenLoop() throws Exception {
        receiverReset("metaslow");
        String secret = System.getenv().getOrDefault("PARTNERHOOKS_META_APP_SECRET", "bench-meta-secret");
        List<Long> lat = Collections.synchronizedList(new ArrayList<>());
        AtomicLong failed = new AtomicLong();
        ConcurrentHashMap<String, Long> why = new ConcurrentHashMap<>();
        long run = System.nanoTime();
        double secs = smoke() ? 0.25 : latencySeconds;
        openLoop(secs, 1000, (dueMicros, i) -> {
            try {
                String body = metaBody("wamid.open" + run + "." + i, META_SLOW_PNID);
                HttpRequest r = HttpRequest.newBuilder(URI.create(server + "/meta/webhook"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header("X-Hub-Signature-256", "sha256=" + hmac(secret, body))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                int st = HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (st >= 200 && st < 300) {
                    lat.add(nowMicros() - dueMicros);
                } else {
                    failed.incrementAndGet();
                    why.merge("http_" + st, 1L, Long::sum);
                }
            } catch (Exception e) {
                failed.incrementAndGet();
                why.merge(failureName(e), 1L, Long::sum);
            }
        });
        List<Long> acks = new ArrayList<>(lat);
        ObjectNode o = summarize(acks);
        o.put("offered_per_s", 1000);
        o.put("sent", (int) (secs * 1000));
        o.put("answered_2xx", acks.size());
        o.put("failed", failed.get());
        o.set("failed_by", JSON.valueToTree(new TreeMap<>(why)));
        o.put("over_1s", acks.stream().filter(x -> x > 1_000_000).count());
        long[] st = waitFor("metaslow", acks.size(), 120);
        o.put("relayed", st[0]);
        return o;
    }

    static final String META_PNID = "109000000000001";
    static final String META_WABA = "209000000000001";

    /**
     * A registered number with a messaging webhook on the receiver, so that the Meta figure counts
     * callbacks that are verified, stored, split, deduplicated and relayed, not merely kept as unroutable.
     */
    void setupMetaNumber() throws Exception {
        List<String> p = partner("bench-meta", 0, "ok", "meta");
        ok(call("PUT", server + "/platform/v1/clients/cl_bench_meta", token, "{\"partner_id\":\"" + p.get(0)
                + "\",\"name\":\"bench meta client\"}"), 200);
        ok(call("PUT", server + "/platform/v1/channels/ch_bench_meta", token, "{\"partner_id\":\"" + p.get(0)
                + "\",\"client_id\":\"cl_bench_meta\",\"phone_number\":\"+15550000001\",\"phone_number_id\":\""
                + META_PNID + "\",\"waba_id\":\"" + META_WABA + "\"}"), 200);
        ok(call("PUT", server + "/v1/channels/ch_bench_meta/webhook", p.get(1), "{\"url\":\"" + receiver
                + "/ok/meta/0\"}"), 200);
        // a second number whose webhook answers after 50 ms, for the open-loop figure
        ok(call("PUT", server + "/platform/v1/channels/ch_bench_meta_slow", token, "{\"partner_id\":\"" + p.get(0)
                + "\",\"client_id\":\"cl_bench_meta\",\"phone_number\":\"+15550000002\",\"phone_number_id\":\""
                + META_SLOW_PNID + "\",\"waba_id\":\"" + META_WABA + "\"}"), 200);
        ok(call("PUT", server + "/v1/channels/ch_bench_meta_slow/webhook", p.get(1), "{\"url\":\"" + receiver
                + "/slow/metaslow/0\"}"), 200);
    }

    static String metaBody(String wamid) {
        return metaBody(wamid, META_PNID);
    }

    static String metaBody(String wamid, String pnid) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + META_WABA + "\",\"changes\":[{\"field\":\"messages\","
                + "\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550000001\","
                + "\"phone_number_id\":\"" + pnid + "\"},\"messages\":[{\"from\":\"1555\",\"id\":\"" + wamid + "\","
                + "\"timestamp\":\"1700000000\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}]}}]}]}";
    }

    static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Publishes to a partner with {@code fanout} endpoints for a while; deliveries/s from first publish to last arrival. */
    double endToEnd(String partner, String group, int fanout) throws Exception {
        receiverReset(group);
        long t0 = nowMicros();
        AtomicLong accepted = new AtomicLong();
        closedLoop(seconds, concurrency, () -> {
            boolean okd = publish(partner);
            if (okd) {
                accepted.incrementAndGet();
            }
            return okd;
        });
        long expected = accepted.get() * fanout;
        long[] st = waitFor(group, expected, 120);
        if (st[0] < expected) {
            log("  only " + st[0] + " of " + expected + " deliveries arrived within 120 s");
        }
        return st[0] / ((st[2] - t0) / 1e6);
    }

    /**
     * Closed loop of single publishes to a partner with one endpoint, the events spread over
     * {@code keys} ordering keys (subject workspace ids); deliveries/s from the first publish to
     * the last arrival. For the ordered-endpoint figure (issue 15): the same load to an ordered and
     * to an unordered endpoint, and to an ordered one with a single key.
     */
    double keyed(String partner, String group, int keys) throws Exception {
        receiverReset(group);
        long t0 = nowMicros();
        AtomicLong accepted = new AtomicLong();
        AtomicLong n = new AtomicLong();
        closedLoop(seconds, concurrency, () -> {
            String body = "{\"type\":\"" + TYPE + "\",\"partner_id\":\"" + partner + "\",\"subject\":{\"workspace_id\":\"ws_key_"
                    + (n.getAndIncrement() % keys) + "\"},\"data\":" + eventData + "}";
            boolean okd = call("POST", server + "/platform/v1/events", token, body).statusCode() == 202;
            if (okd) {
                accepted.incrementAndGet();
            }
            return okd;
        });
        long[] st = waitFor(group, accepted.get(), 120);
        if (st[0] < accepted.get()) {
            log("  only " + st[0] + " of " + accepted.get() + " deliveries arrived within 120 s");
        }
        return st[0] / ((st[2] - t0) / 1e6);
    }

    long[] waitFor(String group, long expected, double capSeconds) throws Exception {
        long t0 = System.nanoTime();
        long[] st = receiverStats(group);
        while (st[0] < expected && (System.nanoTime() - t0) / 1e9 < capSeconds) {
            Thread.sleep(50);
            st = receiverStats(group);
        }
        return st;
    }

    ObjectNode latency(String partner, String group) throws Exception {
        return latency(partner, group, 1000, latencySeconds);
    }

    /**
     * Open loop of single publishes at {@code rate}/s to a partner with one endpoint for {@code secs};
     * publish→receipt counted from each publish's scheduled time. "Kept up" (see bench/README.md):
     * every publish got its 202, every accepted event arrived, and the achieved delivery rate
     * (arrivals over the time from the first scheduled publish to the last arrival) is at least
     * 0.95 of the offered rate, so the last arrival is at most 5 % of the run after the schedule ended.
     */
    ObjectNode latency(String partner, String group, int rate, double secs) throws Exception {
        receiverReset(group);
        call("POST", receiver + "/_record?on=true", null, "");
        ConcurrentHashMap<String, Long> due = new ConcurrentHashMap<>();
        AtomicLong failed = new AtomicLong();
        ConcurrentHashMap<String, Long> why = new ConcurrentHashMap<>();
        AtomicLong lastAnswer = new AtomicLong();
        String body = publishBody(partner);
        long[] start = new long[1];
        openLoop(secs, rate, (dueMicros, i) -> {
            if (i == 0) {
                start[0] = dueMicros;
            }
            try {
                HttpResponse<String> r = call("POST", server + "/platform/v1/events", token, body);
                if (r.statusCode() == 202) {
                    due.put(JSON.readTree(r.body()).get("id").asText(), dueMicros);
                    lastAnswer.accumulateAndGet(nowMicros(), Math::max);
                } else {
                    failed.incrementAndGet();
                    why.merge("http_" + r.statusCode(), 1L, Long::sum);
                }
            } catch (Exception e) {
                failed.incrementAndGet();
                why.merge(failureName(e), 1L, Long::sum);
            }
        });
        int accepted = due.size();
        long[] st = waitFor(group, accepted, 60);
        String lines = call("GET", receiver + "/_arrivals", null, null).body();
        call("POST", receiver + "/_record?on=false", null, "");
        List<Long> lat = new ArrayList<>();
        for (String line : lines.split("\n")) {
            String[] f = line.split(" ");
            Long d = f.length == 2 ? due.remove(f[0]) : null;
            if (d != null) {
                lat.add(Long.parseLong(f[1]) - d);
            }
        }
        int sent = (int) (secs * rate);
        ObjectNode o = summarize(lat);
        o.put("offered_per_s", rate);
        o.put("sent", sent);
        o.put("accepted", accepted);
        o.put("received", lat.size());
        o.put("failed_publishes", failed.get());
        o.set("failed_by", JSON.valueToTree(new TreeMap<>(why)));
        double scheduleEnd = start[0] + (sent - 1) * 1e6 / rate;
        double publishSpan = Math.max(1e6 / rate, lastAnswer.get() - start[0]) / 1e6;
        double deliverySpan = Math.max(1e6 / rate, st[2] - start[0]) / 1e6;
        double achievedPublish = accepted / publishSpan;
        double achievedDelivery = lat.size() / deliverySpan;
        o.put("achieved_publish_per_s", Math.round(achievedPublish));
        o.put("achieved_delivery_per_s", Math.round(achievedDelivery));
        o.put("last_arrival_after_schedule_s", round2((st[2] - scheduleEnd) / 1e6));
        o.put("kept_up", failed.get() == 0 && lat.size() == sent && achievedDelivery >= 0.95 * rate);
        return o;
    }

    /** A failed call's cause for the results: the innermost exception's class, e.g. {@code ConnectException}. */
    static String failureName(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }

    ObjectNode latencyCeiling(String body) throws Exception {
        List<Long> lat = Collections.synchronizedList(new ArrayList<>());
        openLoop(latencySeconds, 1000, (dueMicros, i) -> {
            try {
                if (call("POST", receiver + "/ok/lceiling/0", null, body).statusCode() == 200) {
                    lat.add(nowMicros() - dueMicros);
                }
            } catch (Exception e) {
                // counted as missing
            }
        });
        ObjectNode o = summarize(new ArrayList<>(lat));
        o.put("sent", (int) (latencySeconds * 1000));
        o.put("received", lat.size());
        return o;
    }

    /** p50/p99/max in ms and a log-spaced histogram (bucket upper bounds in ms). */
    static ObjectNode summarize(List<Long> micros) {
        long[] a = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        ObjectNode o = JSON.createObjectNode();
        if (a.length == 0) {
            o.put("p50_ms", -1);
            o.put("p99_ms", -1);
            o.put("max_ms", -1);
            return o;
        }
        o.put("p50_ms", round2(a[(int) Math.min(a.length - 1, Math.floor(a.length * 0.50))] / 1000.0));
        o.put("p99_ms", round2(a[(int) Math.min(a.length - 1, Math.floor(a.length * 0.99))] / 1000.0));
        o.put("max_ms", round2(a[a.length - 1] / 1000.0));
        ObjectNode h = o.putObject("histogram");
        double[] bounds = {0.5, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1000, 2000, 5000, 1e9};
        int j = 0;
        int[] counts = new int[bounds.length];
        for (long x : a) {
            while (x / 1000.0 > bounds[j]) {
                j++;
            }
            counts[j]++;
        }
        for (int i = 0; i < bounds.length; i++) {
            h.put(bounds[i] >= 1e9 ? "inf" : String.valueOf(bounds[i]), counts[i]);
        }
        return o;
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /**
     * Healthy traffic while 100 endpoints hang: publishes to the hanging partner at 20 events/s
     * in the background (2,000 sends/s that never answer) and measures the healthy figures again.
     */
    void isolation(Setup s, Function<String, ArrayNode> series) throws Exception {
        log("isolation: 100 endpoints that never answer, fed 20 events/s");
        AtomicBoolean stop = new AtomicBoolean();
        var bg = VT.submit(() -> {
            long t0 = System.nanoTime();
            long i = 0;
            while (!stop.get()) {
                long due = t0 + i * 50_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                i++;
                try {
                    publish(s.hang().get(0));
                } catch (Exception e) {
                    // the figure is the healthy side's
                }
            }
            return null;
        });
        Thread.sleep(2000);
        ObjectNode q = quiet(0);
        double v = endToEnd(s.e10().get(0), "e10", 10);
        series.apply("isolation_e2e_deliveries").add(sample(q, v));
        log("  healthy end-to-end deliveries/s while 100 hang: " + Math.round(v));
        ObjectNode lat = latency(s.l1().get(0), "l1");
        ObjectNode ls = sample(q, lat.get("p99_ms").asDouble());
        ls.setAll(lat);
        ls.remove("histogram");
        series.apply("isolation_latency").add(ls);
        log("  healthy publish->receipt while 100 hang: p50 " + lat.get("p50_ms") + " p99 " + lat.get("p99_ms") + " ms");
        stop.set(true);
        bg.get();
        // switch the hanging endpoints off so that their retries do not weigh on what follows
        for (String ep : s.hang().subList(2, s.hang().size())) {
            call("PATCH", server + "/v1/endpoints/" + ep, s.hang().get(1), "{\"enabled\":false}");
        }
    }

    // ---------------------------------------------------------------- per-delivery costs

    /** utime+stime (+ cutime+cstime when {@code children}) of a process from /proc/<pid>/stat, in clock ticks. */
    static long cpuTicks(String pid, boolean children) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
            long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return children ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
        } catch (IOException | RuntimeException e) {
            return 0; // gone
        }
    }

    /**
     * PostgreSQL's CPU: the postmaster's own time and that of its children that have exited
     * (cutime+cstime), plus every live child's own time. A backend that exits between two readings
     * moves from the live sum to cutime with its whole time, so the difference stays right.
     */
    static long clusterTicks(String postmaster) throws IOException {
        long t = cpuTicks(postmaster, true);
        try (var ds = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path d : ds) {
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (f[1].equals(postmaster)) {
                        t += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException e) {
                    // exited meanwhile
                }
            }
        }
        return t;
    }

    boolean postgres() {
        return opt.containsKey("jdbc") && opt.get("jdbc").startsWith("jdbc:postgresql:");
    }

    static final String TABLE_SUMS = "SELECT coalesce(sum(n_tup_ins), 0), coalesce(sum(n_tup_upd), 0), coalesce(sum(n_tup_del), 0),"
            + " coalesce(sum(n_tup_hot_upd), 0) FROM pg_stat_user_tables";

    /** A measured phase's costs: begin() before it, end() once all its deliveries have arrived. */
    final class Cost {
        long serverTicks;
        long dbTicks;
        String walStart;
        long[] tables = new long[4];
        long t0;

        Cost begin() throws Exception {
            if (postgres()) {
                try (Connection c = connect(opt.get("jdbc")); Statement st = c.createStatement()) {
                    // table counters reach the view up to 10 s late (an idle backend flushes its last
                    // second's counts after PGSTAT_IDLE_INTERVAL): let the previous phase's land first
                    if (!smoke()) {
                        Thread.sleep(11_000);
                    }
                    tables = tableSums(st);
                    try (ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()::text")) {
                        rs.next();
                        walStart = rs.getString(1);
                    }
                    st.execute("SELECT pg_stat_statements_reset()");
                }
            }
            serverTicks = cpuTicks(opt.get("pid"), false);
            dbTicks = opt.containsKey("pg-pid") ? clusterTicks(opt.get("pg-pid")) : 0;
            t0 = System.nanoTime();
            return this;
        }

        ObjectNode end(long delivered) throws Exception {
            double ms = 1000.0 / Long.parseLong(opt.getOrDefault("clk-tck", "100"));
            long server = cpuTicks(opt.get("pid"), false) - serverTicks;
            long db = opt.containsKey("pg-pid") ? clusterTicks(opt.get("pg-pid")) - dbTicks : 0;
            ObjectNode o = JSON.createObjectNode();
            double n = Math.max(1, delivered);
            o.put("delivered", delivered);
            o.put("wall_s", round2((System.nanoTime() - t0) / 1e9));
            o.put("server_cpu_ms", Math.round(server * ms));
            o.put("server_cpu_ms_per_delivery", round4(server * ms / n));
            if (!postgres()) {
                o.put("db", "SQLite runs inside the server process: its CPU is part of the server's");
                return o;
            }
            o.put("db_cpu_ms", Math.round(db * ms));
            o.put("db_cpu_ms_per_delivery", round4(db * ms / n));
            try (Connection c = connect(opt.get("jdbc")); Statement st = c.createStatement()) {
                long calls = 0;
                long written = 0;
                try (ResultSet rs = st.executeQuery("SELECT coalesce(sum(calls), 0),"
                        + " coalesce(sum(rows) FILTER (WHERE query ~* '^\\s*(insert|update|delete|with)'), 0)"
                        + " FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat%' AND query NOT ILIKE '%pg_current_wal%'")) {
                    rs.next();
                    calls = rs.getLong(1);
                    written = rs.getLong(2);
                }
                long wal;
                try (ResultSet rs = st.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '" + walStart + "')::bigint")) {
                    rs.next();
                    wal = rs.getLong(1);
                }
                o.put("sql_statements", calls);
                o.put("sql_statements_per_delivery", round4(calls / n));
                o.put("statement_rows_written", written);
                o.put("statement_rows_written_per_delivery", round4(written / n));
                o.put("wal_bytes", wal);
                o.put("wal_bytes_per_delivery", Math.round(wal / n));
                if (!smoke()) {
                    Thread.sleep(11_000); // see begin(): the table counters' lag
                }
                long[] t = tableSums(st);
                long writes = (t[0] - tables[0]) + (t[1] - tables[1]) + (t[2] - tables[2]);
                o.put("row_writes", writes);
                o.put("row_writes_per_delivery", round4(writes / n));
                o.put("hot_updates", t[3] - tables[3]);
                o.put("hot_updates_per_delivery", round4((t[3] - tables[3]) / n));
                ObjectNode tabs = o.putObject("tables");
                try (ResultSet rs = st.executeQuery("SELECT relname, n_live_tup, n_dead_tup, autovacuum_count, autoanalyze_count,"
                        + " vacuum_count FROM pg_stat_user_tables WHERE relname IN ('deliveries', 'events', 'attempts') ORDER BY relname")) {
                    while (rs.next()) {
                        ObjectNode x = tabs.putObject(rs.getString(1));
                        x.put("live_tuples", rs.getLong(2));
                        x.put("dead_tuples", rs.getLong(3));
                        x.put("autovacuum_count", rs.getLong(4));
                        x.put("autoanalyze_count", rs.getLong(5));
                        x.put("vacuum_count", rs.getLong(6));
                    }
                }
                long dead = 0;
                for (JsonNode x : tabs) {
                    dead += x.get("dead_tuples").asLong();
                }
                o.put("dead_tuples_after", dead);
            }
            return o;
        }
    }

    static long[] tableSums(Statement st) throws Exception {
        try (ResultSet rs = st.executeQuery(TABLE_SUMS)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
        }
    }

    static double round4(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    // ---------------------------------------------------------------- database ceiling

    static final String CEILING_TABLE = "CREATE TABLE IF NOT EXISTS bench_ceiling (id TEXT PRIMARY KEY, partner_id TEXT NOT NULL,"
            + " type TEXT NOT NULL, subject TEXT NOT NULL, data TEXT NOT NULL, created_at BIGINT NOT NULL,"
            + " idempotency_key TEXT, subject_key TEXT NOT NULL, sequence BIGINT NOT NULL, workspace_id TEXT,"
            + " channel_id TEXT, phone_number TEXT)";

    static Connection connect(String jdbc) throws Exception {
        if (jdbc.startsWith("jdbc:sqlite:")) {
            Properties p = new Properties();
            // the server's own settings for SQLite (storage/.../SqliteDialect)
            p.setProperty("journal_mode", "WAL");
            p.setProperty("synchronous", "FULL");
            p.setProperty("busy_timeout", "15000");
            p.setProperty("transaction_mode", "IMMEDIATE");
            return DriverManager.getConnection(jdbc, p);
        }
        return DriverManager.getConnection(jdbc);
    }

    /**
     * Raw multi-row inserts of our event row shape, 50 rows a statement, each statement its own
     * committed transaction (durable like a publish). SQLite: one writer; PostgreSQL: 8 writers.
     */
    double dbCeiling(String jdbc, double secs) throws Exception {
        boolean sqlite = jdbc.startsWith("jdbc:sqlite:");
        int writers = sqlite ? 1 : 8;
        int rowsPer = 50;
        try (Connection c = connect(jdbc); Statement st = c.createStatement()) {
            st.execute(CEILING_TABLE);
            st.execute("DELETE FROM bench_ceiling");
        }
        StringBuilder sql = new StringBuilder("INSERT INTO bench_ceiling VALUES ");
        for (int i = 0; i < rowsPer; i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        }
        String subject = "{\"workspace_id\":\"ws_bench\"}";
        AtomicLong seq = new AtomicLong();
        Connection[] cons = new Connection[writers];
        for (int i = 0; i < writers; i++) {
            cons[i] = connect(jdbc);
        }
        AtomicLong slot = new AtomicLong();
        ThreadLocal<PreparedStatement> ps = new ThreadLocal<>();
        double rate = closedLoop(secs, writers, () -> {
            PreparedStatement p = ps.get();
            if (p == null) {
                p = cons[(int) slot.getAndIncrement()].prepareStatement(sql.toString());
                ps.set(p);
            }
            int k = 1;
            long now = System.currentTimeMillis();
            for (int i = 0; i < rowsPer; i++) {
                long n = seq.incrementAndGet();
                p.setString(k++, "evt_ceiling" + n);
                p.setString(k++, "ptn_ceiling");
                p.setString(k++, TYPE);
                p.setString(k++, subject);
                p.setString(k++, eventData);
                p.setLong(k++, now);
                p.setString(k++, null);
                p.setString(k++, "workspace:ws_bench");
                p.setLong(k++, n);
                p.setString(k++, "ws_bench");
                p.setString(k++, null);
                p.setString(k++, null);
            }
            p.executeUpdate();
            return true;
        }) * rowsPer;
        for (Connection c : cons) {
            c.close();
        }
        try (Connection c = connect(jdbc); Statement st = c.createStatement()) {
            st.execute("DROP TABLE bench_ceiling");
        }
        return rate;
    }

    // ---------------------------------------------------------------- backlog

    Properties state() throws IOException {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(Path.of(opt.get("state")))) {
            p.load(r);
        }
        return p;
    }

    /**
     * Writes N due deliveries: N/10 copies of one published event, each fanned out to the backlog
     * partner's 10 endpoints, in event order (the endpoints interleave, as when a backlog builds up
     * while events keep coming).
     */
    void backlogFill() throws Exception {
        Properties st = state();
        long n = Long.parseLong(opt.get("backlog"));
        String partner = st.getProperty("backlog_partner");
        long t0 = System.nanoTime();
        receiverReset("a10");
        try (Connection c = connect(opt.get("jdbc"))) {
            c.setAutoCommit(false);
            String template;
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM events WHERE partner_id = ? LIMIT 1")) {
                ps.setString(1, st.getProperty("template_partner"));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    template = rs.getString(1);
                }
            }
            long events = n / 10;
            long now = System.currentTimeMillis();
            // What the earlier runs left pending (the hanging endpoints of the isolation run, now
            // disabled, keep theirs) would sit ahead of the backlog in the due index and be read
            // past by every claim: mark it failed, so that the drain measures the backlog alone.
            try (PreparedStatement ps = c.prepareStatement("UPDATE deliveries SET status = 'failed', lease_token = NULL"
                    + " WHERE status = 'pending' AND partner_id <> ?")) {
                ps.setString(1, partner);
                int left = ps.executeUpdate();
                if (left > 0) {
                    log("backlog: " + left + " deliveries left pending by the earlier runs marked failed");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ?)"
                    + " INSERT INTO events (id, partner_id, type, subject, data, created_at,"
                    + " idempotency_key, subject_key, sequence, workspace_id, channel_id, phone_number)"
                    + " SELECT 'evt_backlog' || g.n, ?, e.type, e.subject, e.data, ?, NULL, e.subject_key, g.n,"
                    + " e.workspace_id, e.channel_id, e.phone_number FROM g CROSS JOIN events e WHERE e.id = ?")) {
                ps.setLong(1, events);
                ps.setString(2, partner);
                ps.setLong(3, now);
                ps.setString(4, template);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO deliveries (id, event_id, endpoint_id, partner_id,"
                    + " status, attempt_count, next_attempt_at, created_at, updated_at)"
                    + " SELECT 'dlv_' || substr(ev.id, 5) || '_' || ep.id, ev.id, ep.id, ev.partner_id, 'pending', 0, ?, ?, ?"
                    + " FROM events ev CROSS JOIN endpoints ep WHERE ev.partner_id = ? AND ev.id LIKE 'evt_backlog%'"
                    + " AND ep.partner_id = ? ORDER BY ev.id, ep.id")) {
                ps.setLong(1, now);
                ps.setLong(2, now);
                ps.setLong(3, now);
                ps.setString(4, partner);
                ps.setString(5, partner);
                int rows = ps.executeUpdate();
                log("backlog: wrote " + events + " events and " + rows + " due deliveries in "
                        + Math.round((System.nanoTime() - t0) / 1e8) / 10.0 + " s");
            }
            c.commit();
        }
        if (!opt.get("jdbc").startsWith("jdbc:sqlite:")) {
            try (Connection c = connect(opt.get("jdbc")); Statement s = c.createStatement()) {
                s.execute("ANALYZE deliveries");
                s.execute("ANALYZE events");
            }
        }
    }

    static long rssKiB(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // process gone
        }
        return -1;
    }

    /** Follows the drain once a second: delivered count, rate, RSS. */
    void backlogDrain() throws Exception {
        long n = Long.parseLong(opt.get("backlog"));
        String pid = opt.get("pid");
        double cap = Double.parseDouble(opt.getOrDefault("drain-cap", "900"));
        long t0 = System.nanoTime();
        ArrayNode series = JSON.createArrayNode();
        long peakRss = 0;
        long last = 0;
        long[] st = receiverStats("a10");
        while (st[0] < n && (System.nanoTime() - t0) / 1e9 < cap) {
            Thread.sleep(1000);
            st = receiverStats("a10");
            long rss = rssKiB(pid);
            peakRss = Math.max(peakRss, rss);
            double t = (System.nanoTime() - t0) / 1e9;
            ObjectNode p = series.addObject();
            p.put("t_s", round2(t));
            p.put("delivered", st[0]);
            p.put("per_s", st[0] - last);
            p.put("rss_mib", rss / 1024);
            last = st[0];
            if (series.size() % 10 == 0) {
                log("  backlog: " + st[0] + " of " + n + " delivered after " + Math.round(t) + " s, rss " + rss / 1024 + " MiB");
            }
        }
        long firstUs = st[1];
        long lastUs = st[2];
        ObjectNode out = JSON.createObjectNode();
        out.put("backlog", n);
        out.put("delivered", st[0]);
        out.put("drain_s", round2((lastUs - firstUs) / 1e6));
        out.put("rate_overall", Math.round(st[0] / Math.max(1e-3, (lastUs - firstUs) / 1e6)));
        // early: from 5 % to 25 % of the backlog; late: from 75 % to 95 %
        out.put("rate_early", rateBetween(series, 0.05 * n, 0.25 * n));
        out.put("rate_late", rateBetween(series, 0.75 * n, 0.95 * n));
        out.put("peak_rss_mib", peakRss / 1024);
        long[] heap = gcHeap(opt.get("gclog"));
        out.put("peak_heap_mib", heap[0]);
        out.put("peak_heap_after_gc_mib", heap[1]);
        out.put("gc_pauses", heap[2]);
        out.set("series", series);
        Files.writeString(Path.of(opt.get("out")), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
        log("backlog: " + st[0] + " of " + n + " in " + out.get("drain_s") + " s; early " + out.get("rate_early")
                + "/s, late " + out.get("rate_late") + "/s, peak RSS " + peakRss / 1024 + " MiB");
    }

    /**
     * From the server's -Xlog:gc file: the most heap in use before a collection, the most still
     * in use after one (the live set's high-water mark), in MiB, and the number of pauses.
     */
    static long[] gcHeap(String file) {
        long before = -1;
        long after = -1;
        long pauses = 0;
        if (file == null || !Files.exists(Path.of(file))) {
            return new long[] {before, after, pauses};
        }
        Pattern p = Pattern.compile("Pause.* (\\d+)M->(\\d+)M\\((\\d+)M\\)");
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                var m = p.matcher(line);
                if (m.find()) {
                    pauses++;
                    before = Math.max(before, Long.parseLong(m.group(1)));
                    after = Math.max(after, Long.parseLong(m.group(2)));
                }
            }
        } catch (IOException e) {
            // no figure
        }
        return new long[] {before, after, pauses};
    }

    /** Deliveries per second between the times the count passed {@code from} and {@code to} (interpolated). */
    static long rateBetween(ArrayNode series, double from, double to) {
        double tFrom = crossing(series, from);
        double tTo = crossing(series, to);
        if (Double.isNaN(tFrom) || Double.isNaN(tTo) || tTo <= tFrom) {
            return -1;
        }
        return Math.round((to - from) / (tTo - tFrom));
    }

    static double crossing(ArrayNode series, double count) {
        double pt = 0;
        double pc = 0;
        for (JsonNode p : series) {
            double t = p.get("t_s").asDouble();
            double c = p.get("delivered").asDouble();
            if (c >= count) {
                return c == pc ? t : pt + (t - pt) * (count - pc) / (c - pc);
            }
            pt = t;
            pc = c;
        }
        return Double.NaN;
    }

}

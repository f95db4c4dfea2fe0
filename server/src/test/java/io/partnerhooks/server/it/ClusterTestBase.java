package io.partnerhooks.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver;
import io.partnerhooks.storage.testing.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Real server processes from the packaged jar on one embedded PostgreSQL, delivering to a real
 * receiver in this JVM. Every process a test starts is killed after it, whatever happened.
 */
abstract class ClusterTestBase {
    static final String OPERATOR = "operator-token-for-integration-tests";
    static final Duration STARTUP = Duration.ofSeconds(60);

    /** Processes still alive if this JVM is torn down early (a fork timeout, Ctrl-C). */
    private static final Set<Node> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Node::kill9), "kill-it-nodes"));
    }

    protected final List<Node> nodes = new ArrayList<>();
    private final List<Path> dataDirs = new ArrayList<>();
    protected TestReceiver receiver;
    protected String databaseUrl;
    /** Nodes that share a database must share the key that encrypts signing secrets in it. */
    private String masterKey;

    private Path logDir;

    @RegisterExtension
    final TestWatcher showLogsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (Node n : nodes) {
                System.out.println("----- last lines of " + n.log() + " -----\n" + n.tail(60));
            }
        }
    };

    @BeforeEach
    void prepare(TestInfo info) throws IOException {
        String test = info.getTestClass().orElseThrow().getSimpleName() + "-"
                + info.getTestMethod().orElseThrow().getName();
        logDir = Path.of(System.getProperty("basedir", "."), "target", "it-logs", test)
                .toAbsolutePath();
        Files.createDirectories(logDir);
        try (var old = Files.list(logDir)) {
            for (Path p : old.toList()) {
                Files.deleteIfExists(p);
            }
        }
        databaseUrl = PostgresServer.newDatabaseUrl();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        masterKey = Base64.getEncoder().encodeToString(key);
        receiver = new TestReceiver();
    }

    @AfterEach
    void stopEverything() throws IOException {
        for (Node n : nodes) {
            try {
                n.kill9();
                LIVE.remove(n);
            } catch (AssertionError e) {
                // left in LIVE for the shutdown hook; the other nodes still have to go
                System.out.println(e.getMessage());
            }
        }
        if (receiver != null) {
            receiver.close();
        }
        for (Path dir : dataDirs) {
            try (var tree = Files.walk(dir)) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Starts the nodes side by side (they migrate the same empty schema at once) and waits for each. */
    protected List<Node> startNodes(int count) throws Exception {
        return startNodes(count, Map.of());
    }

    /** @param settings extra PARTNERHOOKS_* environment for every node */
    protected List<Node> startNodes(int count, Map<String, String> settings) throws Exception {
        List<Node> started = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            Path data = Files.createTempDirectory("partnerhooks-it-node-" + i + "-");
            dataDirs.add(data);
            Node n = new Node("node-" + i, logDir, data, databaseUrl, OPERATOR, masterKey, settings);
            nodes.add(n);
            LIVE.add(n);
            n.start();
            started.add(n);
        }
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<Duration>> ready = new ArrayList<>();
            for (Node n : started) {
                ready.add(pool.submit(() -> n.awaitHealthy(STARTUP)));
            }
            for (Future<Duration> f : ready) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Error err ? err : new AssertionError(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return started;
    }

    /** A partner with one endpoint, subscribed to everything, pointing at the receiver. */
    protected String partnerWithEndpoint(Node via) {
        return partnerWithEndpoint(via, receiver.url("/hooks"));
    }

    protected String partnerWithEndpoint(Node via, String endpointUrl) {
        return partnerWithEndpoint(via, endpointUrl, "");
    }

    /** @param extraFields more endpoint fields, e.g. {@code ,"ordering":"ordered"} */
    protected String partnerWithEndpoint(Node via, String endpointUrl, String extraFields) {
        Api api = new Api(via.port);
        Api.Response p = api.post("/platform/v1/partners", OPERATOR, "{\"name\":\"Integration Partner\"}");
        assertThat(p.status()).as(p.body()).isEqualTo(201);
        String partnerId = p.json().get("id").asText();
        String key = p.json().get("api_key").asText();
        Api.Response e = api.post(
                "/v1/endpoints", key, "{\"url\":\"" + endpointUrl + "\",\"event_types\":[\"*\"]" + extraFields + "}");
        assertThat(e.status()).as(e.body()).isEqualTo(201);
        return partnerId;
    }

    /** webhook-id → how many times it arrived. */
    protected Map<String, Integer> arrivalsById() {
        Map<String, Integer> out = new HashMap<>();
        for (TestReceiver.Received r : receiver.received()) {
            out.merge(String.valueOf(r.header("webhook-id")), 1, Integer::sum);
        }
        return out;
    }

    /** Delivery rows by status, read straight from the shared database. */
    protected Map<String, Long> deliveryStatuses() throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(databaseUrl);
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT status, count(*) FROM deliveries GROUP BY status ORDER BY status")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    protected long queryLong(String sql, Object... params) throws SQLException {
        try (Connection c = DriverManager.getConnection(databaseUrl);
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    protected List<String> queryStrings(String sql, Object... params) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(databaseUrl);
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    static String perSecond(long n, Duration d) {
        return String.format(Locale.ROOT, "%.0f", n * 1000.0 / Math.max(1, d.toMillis()));
    }
}

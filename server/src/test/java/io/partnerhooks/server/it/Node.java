package io.partnerhooks.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One Partnerhooks server running as its own operating-system process from the packaged jar, so
 * that a kill is a real SIGKILL and nothing is shared with the test JVM but the database.
 */
final class Node {
    private static final HttpClient HEALTH = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500))
            .build();

    final String name;
    final int port;
    private final Path log;
    private final Map<String, String> env;
    private Process process;
    private int starts;

    Node(
            String name,
            Path logDir,
            Path dataDir,
            String databaseUrl,
            String operatorToken,
            String masterKey,
            Map<String, String> settings) {
        this.name = name;
        this.port = freePort();
        this.log = logDir.resolve(name + ".log");
        Map<String, String> env = new HashMap<>(settings);
        env.put("PARTNERHOOKS_PORT", Integer.toString(port));
        env.put("PARTNERHOOKS_DATABASE_URL", databaseUrl);
        env.put("PARTNERHOOKS_OPERATOR_TOKEN", operatorToken);
        env.put("PARTNERHOOKS_MASTER_KEY", masterKey);
        env.put("PARTNERHOOKS_ALLOWED_TARGETS", "127.0.0.0/8");
        env.put("PARTNERHOOKS_DATA_DIR", dataDir.toString());
        this.env = Map.copyOf(env);
    }

    /** Starts the process (again, after a kill: same port, same data directory, same log file). */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-jar", jar().toString(), "serve");
        // A developer's own PARTNERHOOKS_* settings must not change what these tests measure.
        pb.environment().keySet().removeIf(k -> k.startsWith("PARTNERHOOKS_"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Files.writeString(
                    log,
                    "===== start #" + (++starts) + " of " + name + " on port " + port + " =====\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Polls /healthz until it answers 200; returns how long that took from now. */
    Duration awaitHealthy(Duration max) {
        long t0 = System.nanoTime();
        long deadline = t0 + max.toNanos();
        HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl() + "/healthz"))
                .timeout(Duration.ofSeconds(1))
                .GET()
                .build();
        while (System.nanoTime() - deadline < 0) {
            Process p = process;
            if (p == null || !p.isAlive()) {
                throw new AssertionError(name + " exited (code " + (p == null ? "?" : p.exitValue())
                        + ") before it was healthy; last lines of its log:\n" + tail(40));
            }
            try {
                if (HEALTH.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - t0);
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            sleep(50);
        }
        throw new AssertionError(name + " was not healthy after " + max + "; last lines of its log:\n" + tail(40));
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed, leases stay claimed. */
    synchronized void kill9() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " (pid " + p.pid() + ") survived SIGKILL for 20 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, as systemd or Kubernetes stops a node; the exit status once it has exited. */
    int term(Duration max) {
        Process p = process;
        if (p == null) {
            throw new IllegalStateException(name + " was never started");
        }
        p.destroy();
        try {
            if (!p.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(
                        name + " (pid " + p.pid() + ") still running " + max + " after SIGTERM; log:\n" + tail(40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return p.exitValue();
    }

    /** GET path on this node: the status, or -1 when nothing answers. */
    int status(String path) {
        try {
            return HEALTH.send(
                            HttpRequest.newBuilder(URI.create(baseUrl() + path))
                                    .timeout(Duration.ofSeconds(1))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    Path log() {
        return log;
    }

    String tail(int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no log)";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size())));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "partnerhooks.jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar.toAbsolutePath() + " is missing: these tests run in the verify phase,"
                    + " after `package` has built the shaded jar");
        }
        return jar.toAbsolutePath();
    }

    /** The JDK running the tests is 21 or newer by the build's own rule, so the nodes use it too. */
    private static String javaBin() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * A port below the kernel's ephemeral range: a port-0 pick would come from that range, where
     * the nodes' own outgoing connections (to PostgreSQL, to the receiver) could take it before the
     * node binds it, or while a killed node is being restarted on it.
     */
    private static int freePort() {
        int below = 32768;
        try {
            // readAllLines, not readString: procfs reports a size of 0 and readString then stops short
            below = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .get(0)
                    .trim()
                    .split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            // not Linux: keep the usual default
        }
        if (below < 12_000) {
            below = 32768;
        }
        Random random = new Random();
        int low = Math.min(20_000, below - 10_000);
        // Test JVMs run side by side (forkCount): each takes its own slice of the range, so two of them
        // never probe the same port and bind it one after the other.
        int forks = Math.max(1, Integer.getInteger("partnerhooks.test.forks", 1));
        int fork = Math.floorMod(Integer.getInteger("partnerhooks.test.fork", 1) - 1, forks);
        int slice = (below - low) / forks;
        low += fork * slice;
        below = low + slice;
        for (int i = 0; i < 100; i++) {
            int port = low + random.nextInt(below - low);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("0.0.0.0", port));
                return port;
            } catch (IOException e) {
                // taken; try another
            }
        }
        throw new AssertionError("no free port found between " + low + " and " + below);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

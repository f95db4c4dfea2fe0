import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's webhook receiver: a separate process that answers as fast as it can.
 *
 * <ul>
 *   <li>{@code POST /ok/<group>/...}: 200 at once; counts the arrival under its group (the first
 *       path segment after /ok/) and, while recording is on, keeps (webhook-id, arrival time).</li>
 *   <li>{@code POST /slow/<group>/...}: like {@code /ok/} but answers after 50 ms, as a partner's
 *       server that does some work before it answers (the Meta open-loop figure relays to one).</li>
 *   <li>{@code POST /hang/...}: never answers (holds the request for 10 minutes), like a partner
 *       whose server has stopped responding.</li>
 *   <li>{@code GET /_stats?group=g}: {@code count first_us last_us} for the group.</li>
 *   <li>{@code GET /_arrivals}: every recorded {@code id arrival_us} line, then forgets them.</li>
 *   <li>{@code POST /_record?on=true|false}, {@code POST /_reset?group=g}.</li>
 * </ul>
 * Times are wall-clock microseconds since the epoch, comparable with the load generator's.
 * Usage: {@code java Receiver <port-file>}; it listens on a free loopback port and writes it there.
 */
public final class Receiver {
    static final class Group {
        final AtomicLong count = new AtomicLong();
        final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong last = new AtomicLong();
    }

    static final ConcurrentHashMap<String, Group> groups = new ConcurrentHashMap<>();
    static final ConcurrentLinkedQueue<String> arrivals = new ConcurrentLinkedQueue<>();
    static volatile boolean recording;
    static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

    static long nowMicros() {
        Instant n = Instant.now();
        return n.getEpochSecond() * 1_000_000L + n.getNano() / 1_000;
    }

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4096);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/ok/", Receiver::ok);
        server.createContext("/slow/", ex -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ok(ex);
        });
        server.createContext("/hang/", ex -> {
            drain(ex.getRequestBody());
            try {
                Thread.sleep(600_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.createContext("/_stats", ex -> {
            Group g = groups.get(param(ex, "group"));
            long total = 0;
            for (Group x : groups.values()) {
                total += x.count.get();
            }
            String body = g == null ? "0 0 0 " + total
                    : g.count.get() + " " + (g.count.get() == 0 ? 0 : g.first.get()) + " " + g.last.get() + " " + total;
            answer(ex, 200, body.getBytes(StandardCharsets.US_ASCII));
        });
        server.createContext("/_arrivals", ex -> {
            StringBuilder sb = new StringBuilder();
            String line;
            while ((line = arrivals.poll()) != null) {
                sb.append(line).append('\n');
            }
            answer(ex, 200, sb.toString().getBytes(StandardCharsets.US_ASCII));
        });
        server.createContext("/_record", ex -> {
            recording = Boolean.parseBoolean(param(ex, "on"));
            answer(ex, 200, OK);
        });
        server.createContext("/_reset", ex -> {
            String g = param(ex, "group");
            if (g == null) {
                groups.clear();
            } else {
                groups.remove(g);
            }
            arrivals.clear();
            answer(ex, 200, OK);
        });
        server.start();
        Path portFile = Path.of(args[0]);
        Files.writeString(portFile.resolveSibling(portFile.getFileName() + ".tmp"),
                Integer.toString(server.getAddress().getPort()));
        Files.move(portFile.resolveSibling(portFile.getFileName() + ".tmp"), portFile);
        Thread.currentThread().join();
    }

    static void ok(HttpExchange ex) throws IOException {
        drain(ex.getRequestBody());
        long at = nowMicros();
        String path = ex.getRequestURI().getPath();
        int start = path.indexOf('/', 1) + 1;
        int end = path.indexOf('/', start);
        String group = end < 0 ? path.substring(start) : path.substring(start, end);
        Group g = groups.computeIfAbsent(group, k -> new Group());
        g.count.incrementAndGet();
        g.first.accumulateAndGet(at, Math::min);
        g.last.accumulateAndGet(at, Math::max);
        if (recording) {
            String id = ex.getRequestHeaders().getFirst("webhook-id");
            arrivals.add((id == null ? "-" : id) + " " + at);
        }
        answer(ex, 200, OK);
    }

    static void drain(InputStream in) throws IOException {
        in.transferTo(OutputStream.nullOutputStream());
        in.close();
    }

    static void answer(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("content-type", "text/plain");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    static String param(HttpExchange ex, String name) {
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) {
            return null;
        }
        for (String kv : q.split("&")) {
            int i = kv.indexOf('=');
            if (i > 0 && kv.substring(0, i).equals(name)) {
                return kv.substring(i + 1);
            }
        }
        return null;
    }
}

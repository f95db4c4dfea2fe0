package io.partnerhooks.server.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real HTTP/1.1 receiver on a port-0 socket that records every request and answers as it is
 * told: a status, a hang (no answer until closed), or a socket closed without an answer. Plain
 * sockets, so that the misbehaviours are exactly what a broken partner server does.
 */
public final class TestReceiver implements AutoCloseable {
    /** What the receiver does with the next request. */
    public sealed interface Behaviour {
        record Answer(int status, String body, Map<String, String> headers) implements Behaviour {}

        record Hang() implements Behaviour {}

        record CloseSocket() implements Behaviour {}

        /** Holds the request until {@code gate} opens (or the receiver closes), then answers {@code status}. */
        record AnswerWhenOpen(CountDownLatch gate, int status) implements Behaviour {}
        /** Chooses the behaviour from the request itself (runs on the connection's thread, before the answer). */
        record Decide(Function<Received, Behaviour> decide) implements Behaviour {}
    }

    public record Received(String method, String path, Map<String, String> headers, byte[] body, Instant arrivedAt) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedQueue<Behaviour> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Behaviour fallback = new Behaviour.Answer(200, "ok", Map.of());

    public TestReceiver() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    public static Behaviour status(int status) {
        return new Behaviour.Answer(status, "status " + status, Map.of());
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** Behaviours for the next requests, in order; after them the fallback applies. */
    public TestReceiver then(Behaviour... next) {
        Collections.addAll(script, next);
        return this;
    }

    public TestReceiver always(Behaviour b) {
        fallback = b;
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                threads.execute(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s;
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream()) {
            while (true) {
                String requestLine = readLine(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                Map<String, String> headers = new TreeMap<>();
                String line;
                while ((line = readLine(in)) != null && !line.isEmpty()) {
                    int colon = line.indexOf(':');
                    headers.put(
                            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).trim());
                }
                int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                byte[] body = in.readNBytes(length);
                String[] parts = requestLine.split(" ");
                Received got = new Received(parts[0], parts[1], Map.copyOf(headers), body, Instant.now());
                received.add(got);
                Behaviour b = script.poll();
                if (b == null) {
                    b = fallback;
                }
                while (b instanceof Behaviour.Decide d) {
                    b = d.decide().apply(got);
                }
                if (b instanceof Behaviour.AnswerWhenOpen w) {
                    while (!w.gate().await(50, TimeUnit.MILLISECONDS)) {
                        if (closed.getCount() == 0) {
                            return;
                        }
                    }
                    b = new Behaviour.Answer(w.status(), "ok", Map.of());
                }
                switch (b) {
                    case Behaviour.AnswerWhenOpen w -> throw new IllegalStateException("answered above");
                    case Behaviour.Answer a -> {
                        byte[] payload = a.body().getBytes(StandardCharsets.UTF_8);
                        StringBuilder head = new StringBuilder("HTTP/1.1 " + a.status() + " X\r\n");
                        a.headers()
                                .forEach((k, v) ->
                                        head.append(k).append(": ").append(v).append("\r\n"));
                        head.append("Content-Length: ").append(payload.length).append("\r\n\r\n");
                        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
                        out.write(payload);
                        out.flush();
                    }
                    case Behaviour.Hang h -> {
                        closed.await();
                        return;
                    }
                    case Behaviour.CloseSocket c -> {
                        return;
                    }
                    case Behaviour.Decide d -> throw new IllegalStateException("decided above");
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the sender hung up or the receiver is closing; either way this connection is done
        } finally {
            open.remove(s);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        server.close();
        for (Socket s : new ArrayList<>(open)) {
            s.close();
        }
        threads.shutdownNow();
    }
}

package io.partnerhooks.server.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay in front of the receiver that holds every answer back for a while, as a
 * real partner's server takes tens or hundreds of milliseconds to answer. Requests pass at once,
 * so the receiver has recorded a delivery while the sender still waits: a node killed in that
 * window has sends in flight and leases that nobody completes, which is what the kill test needs.
 */
final class SlowLink implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final long delayMs;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    /** Requests sent on and not yet answered; senders do not pipeline, so one per busy connection. */
    private final AtomicInteger waiting = new AtomicInteger();

    private final AtomicInteger mostWaiting = new AtomicInteger();

    SlowLink(int targetPort, Duration answerDelay) throws IOException {
        this.targetPort = targetPort;
        this.delayMs = answerDelay.toMillis();
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket();
                target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
                client.setTcpNoDelay(true);
                target.setTcpNoDelay(true);
                open.add(client);
                open.add(target);
                AtomicBoolean busy = new AtomicBoolean();
                threads.execute(() -> pipe(client, target, 0, busy, true));
                threads.execute(() -> pipe(target, client, delayMs, busy, false));
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    /** The most requests that were waiting for an answer at one moment, over all senders. */
    int mostInFlight() {
        return mostWaiting.get();
    }

    private void pipe(Socket from, Socket to, long delay, AtomicBoolean busy, boolean requests) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) != -1) {
                if (requests && busy.compareAndSet(false, true)) {
                    mostWaiting.accumulateAndGet(waiting.incrementAndGet(), Math::max);
                }
                // only the first piece of an answer waits: the rest of it follows at once
                boolean answerStarts = !requests && busy.get();
                if (answerStarts && delay > 0) {
                    Thread.sleep(delay);
                }
                out.write(buf, 0, n);
                out.flush();
                if (answerStarts && busy.compareAndSet(true, false)) {
                    waiting.decrementAndGet();
                }
            }
        } catch (IOException | InterruptedException e) {
            // one side hung up (a killed node, a closing receiver): the other side goes with it
        } finally {
            if (busy.compareAndSet(true, false)) {
                waiting.decrementAndGet();
            }
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(SlowLink::closeQuietly);
        threads.shutdownNow();
    }
}

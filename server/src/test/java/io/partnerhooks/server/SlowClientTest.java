package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Clients that trickle: 500 connections sending their headers (or their body) a byte at a time
 * hold no connection past the header (body) deadline, one address cannot hold more than the cap,
 * and normal requests from other addresses are answered meanwhile.
 */
class SlowClientTest extends AppTestBase {
    static final int CAP = 300;

    @Override
    protected String databaseUrl() {
        return "";
    }

    @Override
    Config config() {
        return super.config().withClients(new Clients(Duration.ofSeconds(20), Duration.ofSeconds(22), CAP));
    }

    /** A connection from {@code from} that has sent {@code prefix} and then sends one more byte a second. */
    final class Trickler {
        final Socket socket = new Socket();
        final AtomicBoolean closedByServer = new AtomicBoolean();

        Trickler(String from, String prefix, String drip) throws IOException {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", app.port()), 2_000);
            OutputStream out = socket.getOutputStream();
            out.write(prefix.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.ofVirtual().start(() -> {
                try {
                    InputStream in = socket.getInputStream();
                    // the server never answers a request it has not received: EOF or reset means it closed
                    while (in.read() >= 0) {
                        // a 4xx the server sent before closing is fine too
                    }
                } catch (IOException e) {
                    // reset: closed as well
                }
                closedByServer.set(true);
            });
            Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; !socket.isClosed(); i++) {
                        Thread.sleep(500);
                        out.write(drip.charAt(i % drip.length()));
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // closed
                }
            });
        }
    }

    @Test
    void trickledHeadersAndBodiesAreCutAtTheirDeadlineAndOneAddressHoldsAtMostTheCap() throws Exception {
        List<Trickler> headers = new ArrayList<>();
        List<Trickler> bodies = new ArrayList<>();
        try {
            for (int i = 0; i < 400; i++) {
                headers.add(new Trickler("127.0.0.5", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ", "abcdefgh"));
            }
            for (int i = 0; i < 100; i++) {
                bodies.add(new Trickler(
                        "127.0.0.6",
                        "POST /platform/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + OPERATOR
                                + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
                        "       "));
            }
            // beyond the cap for one address: closed at once
            await().atMost(Duration.ofSeconds(5))
                    .until(() ->
                            headers.stream().filter(t -> t.closedByServer.get()).count() >= 400 - CAP);
            long earlyClosed =
                    headers.stream().filter(t -> t.closedByServer.get()).count();
            assertThat(earlyClosed)
                    .as("closed before any deadline: the connections over the cap")
                    .isBetween(100L, 110L);

            // normal requests from another address are answered while 500 connections trickle
            for (int i = 0; i < 20; i++) {
                assertThat(api.get("/healthz", null).status()).isEqualTo(200);
            }
            partner("Busy BSP"); // a write goes through too
            assertThat(headers.stream().filter(t -> !t.closedByServer.get()).count())
                    .as("the capped address still holds its connections until the deadline")
                    .isPositive();

            await().atMost(Duration.ofSeconds(60)).until(() -> headers.stream().allMatch(t -> t.closedByServer.get()));
            await().atMost(Duration.ofSeconds(60)).until(() -> bodies.stream().allMatch(t -> t.closedByServer.get()));
            assertThat(api.get("/healthz", null).status()).isEqualTo(200);
        } finally {
            for (Trickler t : headers) {
                t.socket.close();
            }
            for (Trickler t : bodies) {
                t.socket.close();
            }
        }
    }

    /**
     * A burst of senders connecting at once waits in the listen backlog instead of being reset:
     * the 2026-12-03 bench saw thousands of publishes at 4,000/s fail with SocketException while
     * Jetty's connector asked the kernel for the JDK's default backlog of 50. The backlog of a
     * listening socket is what {@code ss} shows as its Send-Q.
     */
    @Test
    void theListenBacklogHoldsABurstOfConnections() throws Exception {
        Process ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + app.port())
                .redirectErrorStream(true)
                .start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(ss.waitFor())
                .as("ss (iproute2) lists listening sockets: %s", out)
                .isZero();
        // State Recv-Q Send-Q Local-Address:Port Peer-Address:Port
        String[] cols = out.lines().findFirst().orElseThrow().trim().split("\\s+");
        assertThat(cols[0]).isEqualTo("LISTEN");
        assertThat(Integer.parseInt(cols[2]))
                .as("listen backlog of port %d", app.port())
                .isGreaterThanOrEqualTo(Math.min(App.ACCEPT_QUEUE, somaxconn()));
    }

    private static int somaxconn() throws IOException {
        // /proc files report a size of 0: read them line by line
        return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/core/somaxconn"))
                .get(0)
                .trim());
    }
}

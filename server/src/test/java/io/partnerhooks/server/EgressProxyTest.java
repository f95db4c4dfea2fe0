package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PARTNERHOOKS_EGRESS_PROXY and PARTNERHOOKS_EGRESS_BIND_ADDRESS: deliveries leave through a small
 * proxy on loopback (so partners could allow-list its one address), with the proxy's credentials,
 * from the chosen local address; the address guard still vets every target before the proxy is
 * asked to reach it, and the proxy's own address passes only as the proxy.
 */
class EgressProxyTest extends AppTestBase {
    /** One connection through the proxy: who connected, the first request line, its credentials. */
    record Seen(String client, String requestLine, String proxyAuthorization) {}

    static ServerSocket proxy;
    static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
    /** The partner's receiver: on 127.0.0.2, the only range the guard allows here. */
    static HttpServer partner;

    static final List<String> ARRIVED = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startProxyAndReceiver() throws IOException {
        proxy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread.ofVirtual().start(() -> {
            while (!proxy.isClosed()) {
                try {
                    Socket s = proxy.accept();
                    Thread.ofVirtual().start(() -> relay(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
        partner = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 50);
        partner.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ARRIVED.add(String.valueOf(ex.getRequestHeaders().getFirst("webhook-id")));
            ex.sendResponseHeaders(200, 2);
            try (OutputStream o = ex.getResponseBody()) {
                o.write("ok".getBytes(StandardCharsets.US_ASCII));
            }
        });
        partner.start();
    }

    @AfterAll
    static void stopProxyAndReceiver() throws IOException {
        proxy.close();
        partner.stop(0);
    }

    /** A forward proxy in miniature: CONNECT host:port tunnels, an absolute-form request is relayed as is. */
    static void relay(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                byte[] h = head.toByteArray();
                int n = h.length;
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                    break;
                }
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            String first = text.substring(0, text.indexOf("\r\n"));
            String auth = null;
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase().startsWith("proxy-authorization:")) {
                    auth = line.substring(line.indexOf(':') + 1).strip();
                }
            }
            SEEN.add(new Seen(client.getInetAddress().getHostAddress(), first, auth));
            String target = first.split(" ")[1];
            boolean connect = first.startsWith("CONNECT ");
            String hostPort = connect ? target : URI.create(target).getRawAuthority();
            String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
            int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
            try (Socket upstream = new Socket(host, port)) {
                OutputStream toClient = client.getOutputStream();
                if (connect) {
                    toClient.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } else {
                    upstream.getOutputStream().write(head.toByteArray());
                }
                Thread back = Thread.ofVirtual().start(() -> {
                    try {
                        upstream.getInputStream().transferTo(toClient);
                    } catch (IOException ignored) {
                        // one side closed
                    }
                });
                in.transferTo(upstream.getOutputStream());
                back.join(5_000);
            }
        } catch (IOException | InterruptedException | RuntimeException ignored) {
            // a broken relay shows up as a failed delivery in the test
        }
    }

    @Override
    protected String databaseUrl() {
        return "";
    }

    @Override
    Config config() {
        return super.config()
                .withAllowedTargets("127.0.0.2/32")
                .withEgress(Egress.parse("http://relay%40ops:s3cr%3At@127.0.0.1:" + proxy.getLocalPort(), "127.0.0.3"));
    }

    @Test
    void deliveriesLeaveThroughTheProxyWithItsCredentialsFromTheBindAddress() {
        String[] p = partner("Egress BSP");
        int port = partner.getAddress().getPort();
        endpoint(p[1], "http://127.0.0.2:" + port + "/hooks", "[\"*\"]");
        String id = publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT).until(() -> ARRIVED.contains(id));
        assertThat(SEEN).isNotEmpty().allSatisfy(s -> {
            assertThat(s.requestLine()).contains("127.0.0.2:" + port);
            assertThat(s.client()).as("sent from EGRESS_BIND_ADDRESS").isEqualTo("127.0.0.3");
            assertThat(s.proxyAuthorization())
                    .isEqualTo("Basic "
                            + Base64.getEncoder().encodeToString("relay@ops:s3cr:t".getBytes(StandardCharsets.UTF_8)));
        });
    }

    @Test
    void theGuardVetsTargetsBeforeTheProxyIsAskedAndTheProxyPassesOnlyAsTheProxy() {
        String[] p = partner("Sneaky BSP");
        // loopback names: refused by the guard (only 127.0.0.2 is allowed), the proxy's port included
        String toProxy = publishTo(p, "http://localhost:" + proxy.getLocalPort() + "/admin");
        String toLoopback = publishTo(p, "http://localhost:" + receiver.port() + "/internal");
        for (String[] d : List.of(new String[] {toProxy}, new String[] {toLoopback})) {
            await().atMost(WAIT)
                    .until(() -> api.get("/v1/deliveries/" + d[0], p[1])
                                    .json()
                                    .get("attempts")
                                    .size()
                            >= 1);
            var a = api.get("/v1/deliveries/" + d[0], p[1])
                    .json()
                    .get("attempts")
                    .get(0);
            assertThat(a.get("error_class").asText()).isEqualTo("blocked");
        }
        assertThat(SEEN)
                .as("the proxy was never asked to reach a refused target")
                .noneMatch(s ->
                        s.requestLine().contains("localhost") || s.requestLine().contains(":" + receiver.port()));
        assertThat(receiver.received()).isEmpty();
    }

    /** A fresh endpoint at url for this partner (the only one enabled), one event, its delivery id. */
    String publishTo(String[] p, String url) {
        var list = api.get("/v1/endpoints", p[1]).json().get("data");
        for (var e : list) {
            api.call("DELETE", "/v1/endpoints/" + e.get("id").asText(), p[1], null);
        }
        endpoint(p[1], url, "[\"*\"]");
        String eventId = publish(p[0], ANY_TYPE, "{}");
        return deliveries(p[1], eventId).get(0).get("id").asText();
    }

    @Test
    void badEgressSettingsStopTheServerWithTheirName() {
        for (String bad : List.of(
                "https://proxy:3128", "http://proxy", "http://proxy:0", "http://proxy:3128/path", "proxy:3128")) {
            assertThatThrownBy(() -> Egress.parse(bad, "")).as(bad).hasMessageContaining("EGRESS_PROXY");
        }
        for (String bad : List.of("eth0", "proxy.example", "10.0.0.1.5x")) {
            assertThatThrownBy(() -> Egress.parse("", bad)).as(bad).hasMessageContaining("EGRESS_BIND_ADDRESS");
        }
        String described = super.config()
                .withEgress(Egress.parse("http://u:hunter2@proxy.example:3128", "10.1.2.3"))
                .describe();
        assertThat(described)
                .contains("EGRESS_PROXY=http://proxy.example:3128")
                .contains("EGRESS_BIND_ADDRESS=10.1.2.3")
                .doesNotContain("hunter2");
    }
}

package io.partnerhooks.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM under load, as systemd or Kubernetes stops a node: /readyz turns 503 at once while the
 * node still serves for the drain, the process exits 0, it leaves no delivery leased behind it
 * (claims it did not finish are handed back, not left for their lease to expire), and after a
 * restart every event it acknowledged arrives well inside one lease.
 */
class GracefulShutdownIT extends ClusterTestBase {
    private static final Duration ANSWER_DELAY = Duration.ofMillis(200);

    @Test
    void sigtermUnderLoadExitsZeroAndLeavesNothingForALeaseToExpire() throws Exception {
        // lease = delivery timeout 5 s + 15 s margin = 20 s
        Node node = startNodes(1, Map.of("PARTNERHOOKS_DELIVERY_TIMEOUT", "5s", "PARTNERHOOKS_SHUTDOWN_DRAIN", "2s",
                "PARTNERHOOKS_SHUTDOWN_TIMEOUT", "4s")).get(0);
        try (SlowLink link = new SlowLink(receiver.port(), ANSWER_DELAY)) {
            String partnerId = partnerWithEndpoint(node, link.url("/hooks"));
            Publisher publisher = new Publisher(partnerId, java.util.List.of(node));
            publisher.startStream(4, 20_000, Duration.ofMinutes(3));
            try {
                await("load to build up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> publisher.acceptedIds().size() >= 200 && receiver.received().size() >= 100);

                long t0 = System.nanoTime();
                CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> node.term(Duration.ofSeconds(60)));
                await("/readyz to turn 503").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                        .until(() -> node.status("/readyz") == 503);
                long notReadyMs = (System.nanoTime() - t0) / 1_000_000;
                assertThat(node.status("/healthz")).as("still serving during the drain").isEqualTo(200);
                int code = exit.get();
                long stoppedMs = (System.nanoTime() - t0) / 1_000_000;
                assertThat(code).as(node.tail(30)).isZero();
                publisher.stop();

                long leftLeased = queryLong("SELECT count(*) FROM deliveries WHERE status = 'pending' AND lease_token IS NOT NULL");
                long pending = queryLong("SELECT count(*) FROM deliveries WHERE status = 'pending'");
                assertThat(leftLeased).as("deliveries left leased by the stopped node").isZero();
                assertThat(node.tail(200)).contains("sends finished");

                Set<String> accepted = publisher.acceptedIds();
                node.start();
                node.awaitHealthy(STARTUP);
                long restartedNanos = System.nanoTime();
                await("every acknowledged event at the receiver, none pending").atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(100)).until(() -> arrivalsById().keySet().containsAll(accepted)
                                && queryLong("SELECT count(*) FROM deliveries WHERE status = 'pending'") == 0);
                long caughtUpMs = (System.nanoTime() - restartedNanos) / 1_000_000;
                System.out.printf("[graceful] %d events acknowledged; /readyz 503 after %d ms; exit 0 after %d ms"
                        + " (drain 2 s); %d pending and 0 leased after the exit; all delivered %d ms after the restart"
                        + " (the lease is 20 s)%n", accepted.size(), notReadyMs, stoppedMs, pending, caughtUpMs);
            } finally {
                publisher.stop();
            }
        }
    }
}

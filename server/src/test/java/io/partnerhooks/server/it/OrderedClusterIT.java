package io.partnerhooks.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.partnerhooks.server.support.TestReceiver;
import io.partnerhooks.server.support.TestReceiver.Received;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, ordered delivery with two nodes on one PostgreSQL (ADR 11). The receiver itself checks
 * that no two requests of one ordering key are ever at it at once, and every key's requests come
 * in sequence order, a repeat only ever right after itself: the retry of a failed attempt, or the
 * at-least-once repeat of what a killed node had in flight. The receiver fails some requests (500)
 * and the retry schedule is one second, so heads are held back while the rest of their key waits.
 */
class OrderedClusterIT extends ClusterTestBase {
    private static final Map<String, String> SETTINGS =
            Map.of("PARTNERHOOKS_DELIVERY_TIMEOUT", "5s", "PARTNERHOOKS_RETRY_SCHEDULE", "1s");
    private static final String ORDERED = ",\"ordering\":\"ordered\"";

    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final List<String> overlaps = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();

    /** Every 13th request fails; each answer takes {@code delayMs}, long enough for overlaps to show. */
    private void answerSlowlyFailingSome(long delayMs) {
        receiver.always(new TestReceiver.Behaviour.Decide(r -> {
            String key = r.header("webhook-ordering-key");
            AtomicInteger n = inFlight.computeIfAbsent(key, k -> new AtomicInteger());
            if (n.incrementAndGet() > 1) {
                overlaps.add(key + " seq " + r.header("webhook-sequence"));
            }
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                n.decrementAndGet();
            }
            return TestReceiver.status(requests.incrementAndGet() % 13 == 0 ? 500 : 200);
        }));
    }

    /**
     * Per key, the sequences as they arrived with repeats in a row folded into one: must be strictly
     * rising. Returns the keys that broke it, with their arrivals.
     */
    private static Map<String, List<Long>> outOfOrder(List<Received> got) {
        Map<String, List<Long>> byKey = new LinkedHashMap<>();
        for (Received r : got) {
            byKey.computeIfAbsent(r.header("webhook-ordering-key"), k -> new ArrayList<>())
                    .add(Long.parseLong(r.header("webhook-sequence")));
        }
        Map<String, List<Long>> bad = new LinkedHashMap<>();
        byKey.forEach((key, seqs) -> {
            long last = Long.MIN_VALUE;
            for (long s : seqs) {
                if (s < last) {
                    bad.put(key, seqs);
                    return;
                }
                last = s;
            }
        });
        return bad;
    }

    private static long repeats(List<Received> got) {
        return got.size()
                - got.stream().map(r -> r.header("webhook-id")).distinct().count();
    }

    @Test
    void twoNodesNeverSendTwoDeliveriesOfOneKeyAtOnceAndKeepEachKeyInOrder() throws Exception {
        List<Node> started = startNodes(2, SETTINGS);
        answerSlowlyFailingSome(5);
        String partnerId = partnerWithEndpoint(started.get(0), receiver.url("/ordered"), ORDERED);
        Publisher publisher = new Publisher(partnerId, started);
        publisher.publishAll(1_500, 4, Duration.ofMinutes(2));
        Set<String> accepted = publisher.acceptedIds();
        assertThat(publisher.rejected).isEmpty();

        await("every acknowledged event delivered")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> arrivalsById().keySet().containsAll(accepted)
                        && deliveryStatuses().keySet().equals(Set.of("delivered")));
        List<Received> got = receiver.received();
        System.out.println("[ordered-cluster] " + accepted.size() + " events of 50 keys through 2 nodes to one ordered"
                + " endpoint: " + got.size() + " requests (" + repeats(got) + " retries of failed attempts)");
        assertThat(overlaps)
                .as("two requests of one key at the receiver at once")
                .isEmpty();
        assertThat(outOfOrder(got))
                .as("keys whose requests came out of sequence order")
                .isEmpty();
    }

    @Test
    void aKillNineInTheMiddleOfAnOrderedStreamLosesNothingAndBreaksNoOrder() throws Exception {
        List<Node> started = startNodes(2, SETTINGS);
        Node victim = started.get(1);
        answerSlowlyFailingSome(20);
        String partnerId = partnerWithEndpoint(started.get(0), receiver.url("/ordered"), ORDERED);
        Publisher publisher = new Publisher(partnerId, started);
        publisher.startStream(4, 6_000, Duration.ofMinutes(2));
        Set<String> orphaned;
        try {
            await("load to build up")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> publisher.acceptedIds().size() >= 300
                            && receiver.received().size() >= 200);
            long killedAtMs = System.currentTimeMillis();
            victim.kill9();
            // what the victim held leased a moment after the kill nobody finishes until its lease ends
            Node.sleep(1_000);
            orphaned = new HashSet<>(queryStrings(
                    "SELECT event_id FROM deliveries WHERE status = 'pending'"
                            + " AND lease_token IS NOT NULL AND updated_at < ?",
                    killedAtMs));
            victim.start();
            victim.awaitHealthy(STARTUP);
            Node.sleep(2_000);
        } finally {
            publisher.stop();
        }
        Set<String> accepted = publisher.acceptedIds();
        await("every acknowledged event delivered")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> arrivalsById().keySet().containsAll(accepted)
                        && deliveryStatuses().keySet().equals(Set.of("delivered")));
        List<Received> got = receiver.received();
        Set<String> lost = new HashSet<>(accepted);
        lost.removeAll(arrivalsById().keySet());
        System.out.println("[ordered-kill-9] " + accepted.size() + " events acknowledged, " + got.size()
                + " requests; leases the killed node left: " + orphaned.size() + "; repeats (retries and"
                + " at-least-once): " + repeats(got) + "; lost: " + lost.size());
        assertThat(publisher.rejected).as("publishes answered other than 202").isEmpty();
        assertThat(lost).as("acknowledged events never delivered").isEmpty();
        assertThat(overlaps)
                .as("two requests of one key at the receiver at once")
                .isEmpty();
        assertThat(outOfOrder(got))
                .as("keys whose requests came out of sequence order")
                .isEmpty();
    }
}

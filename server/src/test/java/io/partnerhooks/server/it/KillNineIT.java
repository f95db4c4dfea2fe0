package io.partnerhooks.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.partnerhooks.server.support.TestReceiver.Received;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL one of two nodes while events stream in, restart it, keep publishing: every event that
 * was acknowledged with 202 reaches the receiver. What the killed node had claimed comes back only
 * when its lease expires. The lease is the delivery timeout plus a margin (App.lease), so a short
 * delivery timeout keeps the wait short; the test still allows up to two minutes.
 */
class KillNineIT extends ClusterTestBase {
    /** Far above the receiver's answer delay, and it shortens the lease to 5 s + App.LEASE_MARGIN. */
    private static final String DELIVERY_TIMEOUT = "5s";

    private static final int PUBLISHER_THREADS = 4;
    private static final int MAX_EVENTS = 20_000;
    /** How long the receiver's answers take: long enough that a node always has sends in flight. */
    private static final Duration ANSWER_DELAY = Duration.ofMillis(200);

    @Test
    void aNodeKilledUnderLoadLosesNoAcknowledgedEvent() throws Exception {
        List<Node> started = startNodes(2, Map.of("PARTNERHOOKS_DELIVERY_TIMEOUT", DELIVERY_TIMEOUT));
        Node survivor = started.get(0);
        Node victim = started.get(1);
        try (SlowLink link = new SlowLink(receiver.port(), ANSWER_DELAY)) {
            String partnerId = partnerWithEndpoint(survivor, link.url("/hooks"));
            Publisher publisher = new Publisher(partnerId, started);
            publisher.startStream(PUBLISHER_THREADS, MAX_EVENTS, Duration.ofMinutes(3));
            try {
                killRestartAndCheck(publisher, victim);
            } finally {
                publisher.stop();
            }
            // max_in_flight (default 10) is counted by each node on its own, so two nodes may double it
            System.out.println("[kill-9] most requests waiting at the receiver at once: " + link.mostInFlight()
                    + " (the endpoint's max_in_flight is 10, the default)");
        }
    }

    private void killRestartAndCheck(Publisher publisher, Node victim) throws Exception {
        // kill only once both nodes are busy publishing and delivering, so the kill lands mid-work
        long loadStart = System.nanoTime();
        await("load to build up")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> System.nanoTime() - loadStart >= 5_000_000_000L
                        && publisher.acceptedIds().size() >= 200
                        && receiver.received().size() >= 100);

        long victimPid = victim.pid();
        long killedAtMs = System.currentTimeMillis();
        long killedAtNanos = System.nanoTime();
        victim.kill9();
        int acceptedAtKill = publisher.acceptedIds().size();

        // Rows claimed before the kill and still leased two seconds later were the victim's (the
        // survivor's sends take 200 ms): nobody will finish them. Read before the restart, which can
        // take longer than the lease, after which they would be claimed again and look like any row.
        Node.sleep(Math.max(0, 2_000 - (System.nanoTime() - killedAtNanos) / 1_000_000));
        Set<String> orphaned = new HashSet<>(queryStrings(
                "SELECT event_id FROM deliveries"
                        + " WHERE status = 'pending' AND lease_token IS NOT NULL AND updated_at < ?",
                killedAtMs));

        victim.start();
        Duration restart = victim.awaitHealthy(STARTUP);
        long healthyNanos = System.nanoTime();

        Node.sleep(3_000);
        publisher.stop();
        long stoppedNanos = System.nanoTime();
        Set<String> accepted = publisher.acceptedIds();

        // both: a left-behind delivery may have reached the receiver before the kill and still be
        // pending until its lease expires and it is sent again
        await("every acknowledged event at the receiver and no delivery left pending")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> arrivalsById().keySet().containsAll(accepted)
                        && deliveryStatuses().keySet().equals(Set.of("delivered")));
        long settledAtMs = System.currentTimeMillis();

        List<Received> received = receiver.received();
        Map<String, Integer> arrivals = arrivalsById();
        Map<String, Long> firstArrival = new HashMap<>();
        for (Received r : received) {
            firstArrival.merge(r.header("webhook-id"), r.arrivedAt().toEpochMilli(), Math::min);
        }
        long lastFirstArrival =
                accepted.stream().mapToLong(firstArrival::get).max().orElse(killedAtMs);
        long lastResend = received.stream()
                .filter(r -> orphaned.contains(r.header("webhook-id")))
                .mapToLong(r -> r.arrivedAt().toEpochMilli())
                .max()
                .orElse(0);
        Set<String> lost = new HashSet<>(accepted);
        lost.removeAll(arrivals.keySet());
        Set<String> storedWithoutAnswer = new HashSet<>(arrivals.keySet());
        storedWithoutAnswer.removeAll(accepted);
        int duplicates = received.size() - arrivals.size();
        // a left-behind lease whose request had left the killed node is expected twice; any other
        // duplicate would mean two live nodes sent the same delivery
        long duplicatesOfLeftBehind = 0;
        for (Map.Entry<String, Integer> e : arrivals.entrySet()) {
            if (orphaned.contains(e.getKey())) {
                duplicatesOfLeftBehind += e.getValue() - 1;
            }
        }
        long acceptedByRestarted = publisher.accepted().stream()
                .filter(a -> a.node().equals(victim.name) && a.atNanos() > healthyNanos)
                .count();
        Map<String, Long> statuses = deliveryStatuses();

        System.out.println("[kill-9] two nodes, delivery timeout " + DELIVERY_TIMEOUT + " (the lease follows it),"
                + " receiver answering after " + ANSWER_DELAY.toMillis() + " ms");
        System.out.println("[kill-9] events acknowledged (202): " + accepted.size() + " of " + publisher.attempted()
                + " publish requests (refused while down: " + publisher.refused.get() + ", cut off unanswered: "
                + publisher.unanswered.get() + ", rejected: " + publisher.rejected + ")");
        System.out.println("[kill-9] " + victim.name + " (pid " + victimPid + ") killed with SIGKILL "
                + seconds(Duration.ofNanos(killedAtNanos - publisher.firstNanos())) + " into the load, after "
                + acceptedAtKill + " acknowledged events; leases it left behind: " + orphaned.size()
                + (orphaned.isEmpty() ? " (so the lease-expiry path was not exercised this run)" : ""));
        System.out.println("[kill-9] restarted 2 s after the kill; ready (healthz 200) after: " + restart.toMillis()
                + " ms;"
                + " it then acknowledged " + acceptedByRestarted + " events");
        System.out.println("[kill-9] publishing stopped " + seconds(Duration.ofNanos(stoppedNanos - killedAtNanos))
                + " after the kill");
        System.out.println("[kill-9] deliveries received: " + received.size() + " (distinct webhook-ids: "
                + arrivals.size() + "; stored although the publish got no answer: " + storedWithoutAnswer.size() + ")");
        System.out.println("[kill-9] lost (202 but never received): " + lost.size());
        System.out.println("[kill-9] duplicates: " + duplicates + " (of left-behind leases: " + duplicatesOfLeftBehind
                + ", others: " + (duplicates - duplicatesOfLeftBehind) + ")");
        System.out.println("[kill-9] every acknowledged event received by "
                + seconds(Duration.ofMillis(lastFirstArrival - killedAtMs)) + " after the kill (last 202 at "
                + seconds(Duration.ofMillis(publisher.lastAcceptedEpochMillis() - killedAtMs)) + ")"
                + (orphaned.isEmpty()
                        ? ""
                        : "; left-behind leases re-sent by " + seconds(Duration.ofMillis(lastResend - killedAtMs))
                                + " after the kill"));
        System.out.println("[kill-9] delivery rows by status at the end: " + statuses + ", all settled "
                + seconds(Duration.ofMillis(settledAtMs - killedAtMs)) + " after the kill");

        assertThat(publisher.rejected).as("publishes answered other than 202").isEmpty();
        assertThat(acceptedByRestarted)
                .as("events acknowledged by the restarted node")
                .isPositive();
        assertThat(lost).as("acknowledged events never delivered").isEmpty();
        assertThat(duplicates - duplicatesOfLeftBehind)
                .as("duplicates the kill does not explain")
                .isZero();
        assertThat(statuses.keySet()).as("delivery statuses at the end").containsExactly("delivered");
    }
}

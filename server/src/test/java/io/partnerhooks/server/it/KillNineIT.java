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
 * when its lease expires — the lease is fixed at 60 s (App.LEASE) and no setting shortens it — so
 * this test waits for that, bounded at two minutes.
 */
class KillNineIT extends ClusterTestBase {
    /** App.LEASE; package-private there, so repeated here for the report only. */
    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final int PUBLISHER_THREADS = 4;
    private static final int MAX_EVENTS = 20_000;

    @Test
    void aNodeKilledUnderLoadLosesNoAcknowledgedEvent() throws Exception {
        List<Node> started = startNodes(2);
        Node survivor = started.get(0);
        Node victim = started.get(1);
        String partnerId = partnerWithEndpoint(survivor);

        Publisher publisher = new Publisher(partnerId, started);
        publisher.startStream(PUBLISHER_THREADS, MAX_EVENTS, Duration.ofMinutes(3));
        try {
            killRestartAndCheck(publisher, victim);
        } finally {
            publisher.stop();
        }
    }

    private void killRestartAndCheck(Publisher publisher, Node victim) throws Exception {
        // kill only once both nodes are busy publishing and delivering, so the kill lands mid-work
        long loadStart = System.nanoTime();
        await("load to build up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> System.nanoTime() - loadStart >= 5_000_000_000L
                        && publisher.acceptedIds().size() >= 200 && receiver.received().size() >= 100);

        long victimPid = victim.pid();
        long killedAtMs = System.currentTimeMillis();
        long killedAtNanos = System.nanoTime();
        victim.kill9();
        int acceptedAtKill = publisher.acceptedIds().size();
        Map<String, Integer> arrivedBeforeKill = arrivalsUntil(killedAtMs);

        victim.start();
        Duration restart = victim.awaitHealthy(STARTUP);
        long healthyNanos = System.nanoTime();
        // rows claimed before the kill and still leased now were the victim's: nobody will finish them
        Node.sleep(Math.max(0, 2_000 - (System.nanoTime() - killedAtNanos) / 1_000_000));
        Set<String> orphaned = new HashSet<>(queryStrings("SELECT event_id FROM deliveries"
                + " WHERE status = 'pending' AND lease_token IS NOT NULL AND updated_at < ?", killedAtMs));

        Node.sleep(3_000);
        publisher.stop();
        long stoppedNanos = System.nanoTime();
        Set<String> accepted = publisher.acceptedIds();

        await("every acknowledged event at the receiver").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> arrivalsById().keySet().containsAll(accepted));
        await("no delivery left pending").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> deliveryStatuses().keySet().equals(Set.of("delivered")));

        List<Received> received = receiver.received();
        Map<String, Integer> arrivals = arrivalsById();
        Map<String, Long> firstArrival = new HashMap<>();
        for (Received r : received) {
            firstArrival.merge(r.header("webhook-id"), r.arrivedAt().toEpochMilli(), Math::min);
        }
        long lastFirstArrival = accepted.stream().mapToLong(firstArrival::get).max().orElse(killedAtMs);
        long lastResend = received.stream().filter(r -> orphaned.contains(r.header("webhook-id")))
                .mapToLong(r -> r.arrivedAt().toEpochMilli()).max().orElse(0);
        Set<String> lost = new HashSet<>(accepted);
        lost.removeAll(arrivals.keySet());
        Set<String> storedWithoutAnswer = new HashSet<>(arrivals.keySet());
        storedWithoutAnswer.removeAll(accepted);
        int duplicates = received.size() - arrivals.size();
        long orphanedSentBeforeKill = orphaned.stream().filter(arrivedBeforeKill::containsKey).count();
        long acceptedByRestarted = publisher.accepted().stream()
                .filter(a -> a.node().equals(victim.name) && a.atNanos() > healthyNanos).count();
        Map<String, Long> statuses = deliveryStatuses();

        System.out.println("[kill-9] events acknowledged (202): " + accepted.size() + " of " + publisher.attempted()
                + " publish requests (refused while down: " + publisher.refused.get() + ", cut off unanswered: "
                + publisher.unanswered.get() + ", rejected: " + publisher.rejected + ")");
        System.out.println("[kill-9] " + victim.name + " (pid " + victimPid + ") killed with SIGKILL "
                + seconds(Duration.ofNanos(killedAtNanos - publisher.firstNanos())) + " into the load, after "
                + acceptedAtKill + " acknowledged events; leases it left behind: " + orphaned.size());
        System.out.println("[kill-9] restarted node ready (healthz 200) after: " + restart.toMillis() + " ms;"
                + " it then acknowledged " + acceptedByRestarted + " events");
        System.out.println("[kill-9] publishing stopped " + seconds(Duration.ofNanos(stoppedNanos - killedAtNanos))
                + " after the kill");
        System.out.println("[kill-9] deliveries received: " + received.size() + " (distinct webhook-ids: "
                + arrivals.size() + "; stored although the publish got no answer: " + storedWithoutAnswer.size() + ")");
        System.out.println("[kill-9] lost (202 but never received): " + lost.size());
        System.out.println("[kill-9] duplicates: " + duplicates + " (left-behind leases whose delivery had already"
                + " arrived before the kill: " + orphanedSentBeforeKill + ")");
        System.out.println("[kill-9] every acknowledged event received " + seconds(Duration.ofMillis(
                lastFirstArrival - killedAtMs)) + " after the kill"
                + (orphaned.isEmpty() ? "" : "; left-behind leases re-sent by " + seconds(Duration.ofMillis(
                        lastResend - killedAtMs)) + " after the kill (lease " + LEASE.toSeconds() + " s)"));
        System.out.println("[kill-9] delivery rows by status at the end: " + statuses);

        assertThat(publisher.rejected).as("publishes answered other than 202").isEmpty();
        assertThat(acceptedByRestarted).as("events acknowledged by the restarted node").isPositive();
        assertThat(lost).as("acknowledged events never delivered").isEmpty();
        assertThat(statuses.keySet()).as("delivery statuses at the end").containsExactly("delivered");
    }

    /** webhook-id → arrivals up to and including the given wall-clock time. */
    private Map<String, Integer> arrivalsUntil(long epochMs) {
        Map<String, Integer> out = new HashMap<>();
        for (Received r : receiver.received()) {
            if (r.arrivedAt().toEpochMilli() <= epochMs) {
                out.merge(r.header("webhook-id"), 1, Integer::sum);
            }
        }
        return out;
    }
}

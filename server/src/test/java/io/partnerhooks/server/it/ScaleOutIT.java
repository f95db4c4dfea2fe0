package io.partnerhooks.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.partnerhooks.server.support.TestReceiver.Received;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Several nodes on one PostgreSQL share one queue: everything published through any of them is
 * delivered, and no delivery is sent by two of them (the claim is SKIP LOCKED with a lease, so a
 * row can only be held by one node while nothing crashes).
 */
class ScaleOutIT extends ClusterTestBase {
    private static final int NODES = 3;
    private static final int EVENTS = 3_000;
    private static final int PUBLISHER_THREADS = 6;

    @Test
    void threeNodesShareTheWorkAndNeverSendTheSameDeliveryTwice() throws Exception {
        List<Node> started = startNodes(NODES);
        String partnerId = partnerWithEndpoint(started.get(0));
        ReceiverConnections connections = new ReceiverConnections(receiver.port());
        connections.startSampling(started);

        Publisher publisher = new Publisher(partnerId, started);
        // generous: on a busy two-core machine this has taken 30 to 50 s
        publisher.publishAll(EVENTS, PUBLISHER_THREADS, Duration.ofSeconds(150));
        long publishedNanos = System.nanoTime();
        Set<String> accepted = publisher.acceptedIds();

        await("every accepted event at the receiver")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> arrivalsById().keySet().containsAll(accepted));
        // a second node sending the same row would do so at about the same moment; give it the chance
        Thread.sleep(2_000);
        connections.stopSampling(started);

        List<Received> received = receiver.received();
        Map<String, Integer> arrivals = arrivalsById();
        long lastArrival = received.stream()
                .mapToLong(r -> r.arrivedAt().toEpochMilli())
                .max()
                .orElse(0);
        Duration wall = Duration.ofMillis(lastArrival - publisher.firstEpochMillis());
        Duration publishing = Duration.ofNanos(publishedNanos - publisher.firstNanos());
        int duplicates = received.size() - arrivals.size();
        Set<String> unexpected = new HashSet<>(arrivals.keySet());
        unexpected.removeAll(accepted);
        Map<String, Integer> byNode = new TreeMap<>(connections.connectionsByNode());
        await("every delivery recorded as delivered")
                .atMost(Duration.ofSeconds(10))
                .until(() -> deliveryStatuses().equals(Map.of("delivered", (long) accepted.size())));
        long attempts = queryLong("SELECT count(*) FROM attempts");
        // every claim, release and completion rewrites the row: the churn one delivery costs
        // (PostgreSQL's statistics lag a little, so this is approximate)
        long rowUpdates = queryLong("SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'deliveries'");

        System.out.println("[scale-out] nodes: " + NODES + " server processes on one PostgreSQL, one endpoint");
        System.out.println("[scale-out] events published: " + publisher.attempted() + " (202: " + accepted.size()
                + ", refused: " + publisher.refused.get() + ", unanswered: " + publisher.unanswered.get()
                + ", rejected: " + publisher.rejected + ") in " + seconds(publishing) + " = "
                + perSecond(accepted.size(), publishing) + " publishes/s");
        System.out.println("[scale-out] deliveries received: " + received.size() + " (distinct webhook-ids: "
                + arrivals.size() + ", not published by this test: " + unexpected.size() + ")");
        System.out.println(
                "[scale-out] duplicates: " + duplicates + "; attempts recorded in the database: " + attempts);
        System.out.println("[scale-out] wall time: " + seconds(wall) + " (first publish to last delivery)");
        System.out.println("[scale-out] deliveries per second: " + perSecond(arrivals.size(), wall)
                + "; last delivery arrived " + (lastArrival - publisher.lastAcceptedEpochMillis())
                + " ms after the last 202 reached the publisher (negative: before it)");
        System.out.println("[scale-out] delivery row updates in PostgreSQL: about " + rowUpdates + " ("
                + String.format(Locale.ROOT, "%.1f", rowUpdates / (double) Math.max(1, attempts))
                + " per delivery; one claim and one completion make 2)");
        System.out.println("[scale-out] connections to the receiver per node: "
                + (ReceiverConnections.supported() ? byNode : "(not measurable without /proc)"));

        assertThat(publisher.rejected).as("publishes answered other than 202").isEmpty();
        assertThat(accepted).as("events acknowledged with 202").hasSize(EVENTS);
        assertThat(arrivals.keySet()).as("every acknowledged event delivered").containsAll(accepted);
        assertThat(unexpected).as("deliveries of events nobody published").isEmpty();
        assertThat(duplicates).as("deliveries sent twice (nothing crashed)").isZero();
        assertThat(attempts).as("attempts recorded, one per delivery").isEqualTo(EVENTS);
        if (ReceiverConnections.supported()) {
            assertThat(byNode.keySet())
                    .as("nodes seen delivering to the receiver")
                    .containsExactlyInAnyOrderElementsOf(
                            started.stream().map(n -> n.name).toList());
        }
    }
}

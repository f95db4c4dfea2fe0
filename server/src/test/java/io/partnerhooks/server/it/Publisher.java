package io.partnerhooks.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.server.support.Api;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes events through the platform API of several nodes from a few threads, the way the
 * platform's services would, and keeps the ids that were acknowledged with 202: those are the
 * events the server promised to deliver.
 */
final class Publisher {
    record Accepted(String id, String node, long atNanos) {}

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final String partnerId;
    private final List<Node> nodes;
    private final Queue<Accepted> accepted = new ConcurrentLinkedQueue<>();
    private final Set<String> acceptedIds = ConcurrentHashMap.newKeySet();
    /** Never reached a server (connection refused): certainly not stored. */
    final AtomicInteger refused = new AtomicInteger();
    /** Sent but no answer (connection reset, timeout): the event may or may not be stored. */
    final AtomicInteger unanswered = new AtomicInteger();
    /** Answered with something other than 202. */
    final Map<String, Integer> rejected = new ConcurrentHashMap<>();

    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong firstNanos = new AtomicLong();
    private final AtomicLong firstEpochMillis = new AtomicLong();
    private final AtomicLong lastNanos = new AtomicLong();
    private final AtomicLong lastEpochMillis = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    Publisher(String partnerId, List<Node> nodes) {
        this.partnerId = partnerId;
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Exactly {@code total} publish attempts, event k through node k mod n, spread over the
     * threads; gives up at the time limit so a hung server cannot hang the build.
     */
    void publishAll(int total, int threadCount, Duration limit) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        long deadline = System.nanoTime() + limit.toNanos();
        run(threadCount, () -> {
            int k;
            while ((k = next.getAndIncrement()) < total && System.nanoTime() - deadline < 0) {
                publishOne(nodes.get(k % nodes.size()));
            }
        });
        // a thread past the deadline is finishing its last request, which times out after 15 s
        awaitThreads(limit.plusSeconds(20));
    }

    /**
     * Publishes from the threads in a closed loop, round-robin over the nodes, until {@link #stop()}
     * or one of the bounds, so a test that dies early leaves nothing publishing into the next one.
     */
    void startStream(int threadCount, int maxEvents, Duration maxDuration) {
        AtomicInteger next = new AtomicInteger();
        long deadline = System.nanoTime() + maxDuration.toNanos();
        run(threadCount, () -> {
            int k;
            while (!stopping && System.nanoTime() - deadline < 0 && (k = next.getAndIncrement()) < maxEvents) {
                publishOne(nodes.get(k % nodes.size()));
            }
        });
    }

    void stop() throws InterruptedException {
        stopping = true;
        awaitThreads(Duration.ofSeconds(30));
    }

    private void run(int threadCount, Runnable body) {
        for (int i = 0; i < threadCount; i++) {
            threads.add(Thread.ofPlatform().name("publisher-" + i).daemon(true).start(body));
        }
    }

    private void awaitThreads(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        for (Thread t : threads) {
            t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (t.isAlive()) {
                throw new AssertionError(t.getName() + " still publishing after " + max);
            }
        }
    }

    private void publishOne(Node node) {
        long n = sequence.incrementAndGet();
        String body = "{\"type\":\"package.updated\",\"partner_id\":\"" + partnerId + "\","
                + "\"subject\":{\"workspace_id\":\"ws_it_" + (n % 50) + "\"},\"data\":{\"package_id\":\"pk_" + n
                + "\"}}";
        HttpRequest req = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/platform/v1/events"))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + ClusterTestBase.OPERATOR)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        if (firstNanos.compareAndSet(0, System.nanoTime())) {
            firstEpochMillis.set(System.currentTimeMillis());
        }
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 202) {
                JsonNode json = Api.JSON.readTree(r.body());
                String id = json.get("id").asText();
                long now = System.nanoTime();
                accepted.add(new Accepted(id, node.name, now));
                acceptedIds.add(id);
                lastNanos.accumulateAndGet(now, Math::max);
                lastEpochMillis.accumulateAndGet(System.currentTimeMillis(), Math::max);
            } else {
                rejected.merge(node.name + " " + r.statusCode() + " " + abbreviate(r.body()), 1, Integer::sum);
            }
        } catch (ConnectException e) {
            refused.incrementAndGet();
            // the node is down; do not spin on it faster than it could come back
            Node.sleep(5);
        } catch (IOException e) {
            unanswered.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "…";
    }

    Set<String> acceptedIds() {
        return Set.copyOf(acceptedIds);
    }

    List<Accepted> accepted() {
        return List.copyOf(accepted);
    }

    int attempted() {
        return (int) sequence.get();
    }

    long firstNanos() {
        return firstNanos.get();
    }

    /** Wall-clock time of the first publish, comparable with the receiver's arrival times. */
    long firstEpochMillis() {
        return firstEpochMillis.get();
    }

    long lastAcceptedNanos() {
        return lastNanos.get();
    }

    long lastAcceptedEpochMillis() {
        return lastEpochMillis.get();
    }
}

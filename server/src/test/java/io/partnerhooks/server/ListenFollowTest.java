package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.partnerhooks.sdk.WebhookVerifier;
import io.partnerhooks.server.cli.StreamFollower;
import io.partnerhooks.server.support.TestReceiver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@code partnerhooks listen --server … --forward-to … --consumer …} (issue 16 item 3) against a
 * real server: events published after it starts are printed and forwarded, signed with the local
 * secret (checked by the SDK's verifier), and a second run as the same consumer resumes after the
 * last event the first one handled.
 */
class ListenFollowTest extends AppTestBase {
    static final String LOCAL_SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);

    @Override
    protected String databaseUrl() {
        return "";
    }

    private record Run(StreamFollower follower, AtomicBoolean stop, Thread thread, ByteArrayOutputStream out) {
        void halt() throws InterruptedException {
            stop.set(true);
            thread.interrupt();
            thread.join(5_000);
        }

        String printed() {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private Run start(String key, String consumer, String forwardTo) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamFollower f = new StreamFollower(
                URI.create("http://127.0.0.1:" + app.port() + "/"),
                key,
                null,
                URI.create(forwardTo),
                consumer,
                LOCAL_SECRET,
                new PrintStream(out, true, StandardCharsets.UTF_8));
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                f.run(stop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return new Run(f, stop, t, out);
    }

    @Test
    void followsTheStreamForwardsSignedAndResumesAsItsConsumer() throws Exception {
        String[] p = partner("Laptop");
        try (TestReceiver local = new TestReceiver()) {
            Run first = start(p[1], "laptop", local.url("/hooks"));
            await().atMost(WAIT).until(() -> first.printed().contains("following"));
            String a = publish(p[0], ANY_TYPE, "{}");
            String b = publish(p[0], ANY_TYPE, "{}");
            await().atMost(WAIT).until(() -> local.received().size() == 2);
            await().atMost(WAIT)
                    .until(() -> api.get("/v1/stream/consumers/laptop", p[1]).status() == 200);
            first.halt();
            assertThat(first.printed())
                    .contains(a)
                    .contains(b)
                    .contains(ANY_TYPE)
                    .contains("→ 200");
            for (TestReceiver.Received r : local.received()) {
                new WebhookVerifier(LOCAL_SECRET)
                        .verify(
                                r.body(),
                                r.header("webhook-id"),
                                r.header("webhook-timestamp"),
                                r.header("webhook-signature"),
                                Instant.now());
            }
            assertThat(local.received().stream()
                            .map(r -> r.header("webhook-id"))
                            .toList())
                    .containsExactly(a, b);

            // while nobody follows, one more event; the next run as the same consumer gets it, and only it
            String c = publish(p[0], ANY_TYPE, "{}");
            Run second = start(p[1], "laptop", local.url("/hooks"));
            await().atMost(WAIT).until(() -> local.received().size() == 3);
            Thread.sleep(300);
            second.halt();
            assertThat(local.received().stream()
                            .map(r -> r.header("webhook-id"))
                            .toList())
                    .containsExactly(a, b, c);
            assertThat(second.follower().received.get()).isEqualTo(1);
        }
    }

    @Test
    void withoutAConsumerItStartsFromNowAndABadKeyIsShown() throws Exception {
        String[] p = partner("Fresh");
        String old = publish(p[0], ANY_TYPE, "{}");
        try (TestReceiver local = new TestReceiver()) {
            Run run = start(p[1], null, local.url("/hooks"));
            await().atMost(WAIT).until(() -> run.printed().contains("from now on"));
            String fresh = publish(p[0], ANY_TYPE, "{}");
            await().atMost(WAIT).until(() -> local.received().size() == 1);
            run.halt();
            assertThat(local.received().get(0).header("webhook-id"))
                    .isEqualTo(fresh)
                    .isNotEqualTo(old);

            Run bad = start("phk_not-a-key", null, local.url("/hooks"));
            await().atMost(WAIT).until(() -> bad.printed().contains("401"));
            bad.halt();
            assertThat(List.of(bad.printed().split("\n"))).anyMatch(l -> l.startsWith("stream: 401"));
        }
    }
}

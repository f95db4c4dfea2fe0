package io.partnerhooks.server.cli;

import io.partnerhooks.core.delivery.Signer;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "listen",
        mixinStandardHelpOptions = true,
        description =
                "A local receiver for development: verifies each delivery's signature with --secret and prints it. With --server: follows that server's event stream and prints (or --forward-to) each event.")
final class Listen implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "9000", description = "Port to listen on. Default 9000.")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on. Default 127.0.0.1.")
    String bind;

    @Option(
            names = "--secret",
            description =
                    "Locally: the endpoint's signing secret (whsec_...); without it deliveries are shown, not verified. With --server: the secret that signs forwarded requests (printed when generated).")
    String secret;

    @Option(
            names = "--server",
            description = "Follow this server's event stream (https://hooks.example.com) instead of listening locally.")
    String server;

    @Option(names = "--api-key", description = "With --server: the partner API key (phk_...).")
    String apiKey;

    @Option(
            names = "--event-types",
            description = "With --server: only these types (comma-separated; prefix.* patterns allowed).")
    String eventTypes;

    @Option(
            names = "--forward-to",
            description = "With --server: POST each event to this URL, signed with Standard Webhooks headers.")
    String forwardTo;

    @Option(
            names = "--consumer",
            description = "With --server: keep the cursor on the server under this name, so the next run resumes.")
    String consumer;

    @Override
    public Integer call() throws Exception {
        if (server != null) {
            return follow();
        }
        if (apiKey != null || eventTypes != null || forwardTo != null || consumer != null) {
            throw new IllegalArgumentException("--api-key, --event-types, --forward-to and --consumer need --server");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535");
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (LocalReceiver r = new LocalReceiver(bind, port, secret, System.out, Clock.systemUTC())) {
            System.out.println("listening on http://" + bind + ":" + r.port() + "/ (any path); "
                    + (secret == null ? "not verifying signatures (no --secret)" : "verifying signatures")
                    + "; Ctrl-C stops");
            for (String name : new String[] {"TERM", "INT"}) {
                try {
                    sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> stop.countDown());
                } catch (IllegalArgumentException e) {
                    // not available here
                }
            }
            stop.await();
            System.out.println("stopped: " + r.received.get() + " received, " + r.verified.get() + " verified, "
                    + r.refused.get() + " refused");
            System.out.flush();
        }
        return 0;
    }

    private int follow() throws Exception {
        URI base;
        try {
            base = URI.create(server.endsWith("/") ? server : server + "/");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server must be a URL like https://hooks.example.com");
        }
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new IllegalArgumentException("--server must be an http or https URL");
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("--server needs --api-key");
        }
        URI forward = null;
        if (forwardTo != null) {
            forward = URI.create(forwardTo);
            if (!"http".equals(forward.getScheme()) && !"https".equals(forward.getScheme())) {
                throw new IllegalArgumentException("--forward-to must be an http or https URL");
            }
        }
        String signing = secret;
        if (forward != null && signing == null) {
            signing = Signer.newSecret(new SecureRandom());
            System.out.println("signing forwarded requests with " + signing + " (pin it with --secret)");
        } else if (signing != null && !signing.startsWith(Signer.SECRET_PREFIX)) {
            throw new IllegalArgumentException("--secret must start with whsec_");
        }
        AtomicBoolean stop = new AtomicBoolean();
        StreamFollower f = new StreamFollower(base, apiKey, eventTypes, forward, consumer, signing, System.out);
        Thread worker = Thread.ofPlatform().name("stream-follower").daemon(true).start(() -> {
            try {
                f.run(stop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CountDownLatch done = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> done.countDown());
            } catch (IllegalArgumentException e) {
                // not available here
            }
        }
        done.await();
        stop.set(true);
        worker.interrupt();
        System.out.println("stopped: " + f.received.get() + " events, " + f.forwarded.get() + " forwarded, "
                + f.forwardFailed.get() + " not accepted"
                + (consumer != null ? "; resumes as consumer " + consumer : ""));
        System.out.flush();
        return 0;
    }
}

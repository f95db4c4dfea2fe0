package io.partnerhooks.server;

import io.javalin.Javalin;
import io.partnerhooks.core.delivery.Dispatcher;
import io.partnerhooks.core.port.WebhookTransport;
import io.partnerhooks.core.usecase.AnnounceOperations;
import io.partnerhooks.storage.JdbcStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running parts of one node once its HTTP server listens: the background work (the dispatcher,
 * retention when it is on, the replay worker, the operational-event sweep) and what has to be
 * closed after it. {@link #start} starts the background work in order and {@link #stop} takes the
 * whole node down in the order a clean shutdown needs; {@link App} wires the parts and owns the node.
 *
 * @param retention null when retention is off (RETENTION_DAYS=0)
 * @param draining set at the start of a shutdown: {@code /readyz} answers 503 from then on
 * @param otel null when tracing is off
 */
record Node(
        JdbcStore store,
        WebhookTransport transport,
        Dispatcher dispatcher,
        Javalin web,
        RetentionTask retention,
        ReplayTask replays,
        AnnounceTask announce,
        Metrics metrics,
        AtomicBoolean draining,
        OtelTracing otel) {
    // the shutdown lines are the composition root's, as they were before this class
    private static final Logger log = LoggerFactory.getLogger(App.class);

    /** Starts the background work of a node whose server already listens. */
    static Node start(
            JdbcStore store,
            WebhookTransport transport,
            Dispatcher dispatcher,
            Javalin web,
            RetentionTask retention,
            ReplayTask replays,
            AnnounceOperations announce,
            Metrics metrics,
            AtomicBoolean draining,
            OtelTracing otel) {
        dispatcher.start();
        if (retention != null) {
            retention.start();
        }
        replays.start();
        AnnounceTask announceTask = new AnnounceTask(announce);
        announceTask.start();
        return new Node(store, transport, dispatcher, web, retention, replays, announceTask, metrics, draining, otel);
    }

    /** See {@link App#shutdown}: called once. */
    void stop(Duration drain, Duration deadline) {
        draining.set(true);
        long t0 = System.nanoTime();
        if (!drain.isZero()) {
            log.info("shutting down: /readyz answers 503; still serving requests for {} s", drain.toMillis() / 1000.0);
            try {
                Thread.sleep(drain.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (retention != null) {
            retention.close();
        }
        replays.close();
        announce.close();
        web.stop();
        Dispatcher.Drained d = dispatcher.drain(deadline);
        transport.close();
        store.close();
        metrics.close();
        if (otel != null) {
            otel.close(); // the last attempts' spans go out
        }
        if (!drain.isZero()) {
            log.info(
                    "stopped in {} ms: {} sends finished, {} cut at the {} s deadline and handed back to the queue",
                    (System.nanoTime() - t0) / 1_000_000,
                    d.finished(),
                    d.cut(),
                    deadline.toMillis() / 1000.0);
        }
    }
}

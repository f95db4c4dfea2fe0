package io.partnerhooks.server;

import io.javalin.Javalin;
import io.partnerhooks.core.address.AddressPolicy;
import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.crypto.SecretBox;
import io.partnerhooks.core.delivery.AttemptMaker;
import io.partnerhooks.core.delivery.Dispatcher;
import io.partnerhooks.core.delivery.EndpointHealthPolicy;
import io.partnerhooks.core.delivery.RetryPolicy;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.port.Tracing;
import io.partnerhooks.core.port.Transactions;
import io.partnerhooks.core.usecase.AnnounceOperations;
import io.partnerhooks.core.usecase.ApplyRetention;
import io.partnerhooks.core.usecase.AuditTrail;
import io.partnerhooks.core.usecase.AuditedChanges;
import io.partnerhooks.core.usecase.ComputeEndpointStats;
import io.partnerhooks.core.usecase.CreatePartner;
import io.partnerhooks.core.usecase.ManageApiKeys;
import io.partnerhooks.core.usecase.ManageEndpoints;
import io.partnerhooks.core.usecase.ManageMessagingWebhook;
import io.partnerhooks.core.usecase.ManageWorkspaces;
import io.partnerhooks.core.usecase.PortalLinks;
import io.partnerhooks.core.usecase.PublishEvent;
import io.partnerhooks.core.usecase.ReadDeliveries;
import io.partnerhooks.core.usecase.ReadEvents;
import io.partnerhooks.core.usecase.ReadMetaInbox;
import io.partnerhooks.core.usecase.ReadPartners;
import io.partnerhooks.core.usecase.ReadStream;
import io.partnerhooks.core.usecase.ReceiveMetaCallback;
import io.partnerhooks.core.usecase.RecordFacts;
import io.partnerhooks.core.usecase.Redeliver;
import io.partnerhooks.core.usecase.ReplayEvents;
import io.partnerhooks.core.usecase.RotateSecret;
import io.partnerhooks.core.usecase.SendTestEvent;
import io.partnerhooks.server.api.ApiDocs;
import io.partnerhooks.server.api.ApiKeyRoutes;
import io.partnerhooks.server.api.AuditRoutes;
import io.partnerhooks.server.api.Auth;
import io.partnerhooks.server.api.ChannelRoutes;
import io.partnerhooks.server.api.ClientRoutes;
import io.partnerhooks.server.api.CompatRoutes;
import io.partnerhooks.server.api.DeliveryRoutes;
import io.partnerhooks.server.api.EndpointRoutes;
import io.partnerhooks.server.api.EventRoutes;
import io.partnerhooks.server.api.EventTypeRoutes;
import io.partnerhooks.server.api.MetaWebhookRoutes;
import io.partnerhooks.server.api.OpsRoutes;
import io.partnerhooks.server.api.PartnerRoutes;
import io.partnerhooks.server.api.PortalLinkRoutes;
import io.partnerhooks.server.api.ReplayRoutes;
import io.partnerhooks.server.api.RouteGroup;
import io.partnerhooks.server.api.RouteSpans;
import io.partnerhooks.server.api.Routes;
import io.partnerhooks.server.api.StreamRoutes;
import io.partnerhooks.server.api.WorkspaceRoutes;
import io.partnerhooks.server.delivery.JettyWebhookTransport;
import io.partnerhooks.server.ui.Dashboard;
import io.partnerhooks.storage.Database;
import io.partnerhooks.storage.JdbcStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: the one place that creates clocks, randomness, the store and the server. */
public final class App implements AutoCloseable {
    /** Connection idle timeout: above the longest long poll (ReadStream.MAX_WAIT_SECONDS) with room to answer. */
    static final long STREAM_IDLE_TIMEOUT_MS = 45_000;
    /** Listen backlog of the HTTP connectors (the kernel caps it at net.core.somaxconn). */
    static final int ACCEPT_QUEUE = 1024;

    private static final Logger log = LoggerFactory.getLogger(App.class);
    public static final String VERSION = "0.1.0";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long a claim holds a delivery: the delivery timeout plus this margin, so a send always
     * finishes inside its lease, while a crashed node's deliveries come back soon (30 s by default).
     */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(15);

    static Duration lease(Config config) {
        return config.deliveryTimeout().plus(LEASE_MARGIN);
    }

    private final Node node;
    private final OperatorToken operatorToken;
    private final List<String> routes;
    private final AtomicBoolean closed = new AtomicBoolean();

    private App(Node node, OperatorToken token, List<String> routes) {
        this.node = node;
        this.operatorToken = token;
        this.routes = List.copyOf(routes);
    }

    /** Production wiring: the system clock and a strong random source. */
    public static App start(Config config) {
        return start(config, Clock.systemUTC(), new SecureRandom());
    }

    public static App start(Config config, Clock clock, RandomGenerator random) {
        // tracing off (no OTEL endpoint): no SDK, no exporter thread; the core gets Tracing.NONE
        Config.Telemetry t = config.telemetry();
        return start(
                config, clock, random, t.endpoint() == null ? null : OtelTracing.otlp(t.endpoint(), t.serviceName()));
    }

    /** {@code otel} null: tracing off. Tests pass one over an in-memory exporter. */
    public static App start(Config config, Clock clock, RandomGenerator random, OtelTracing otel) {
        log.info("Partnerhooks {} starting: {}", VERSION, config.describe());
        Tracing tracing = otel == null ? Tracing.NONE : otel;
        RouteSpans spans = otel == null ? RouteSpans.NONE : otel;
        OperatorToken token = OperatorToken.resolve(config, random);
        SecretBox box = new SecretBox(MasterKey.resolve(config, random), random);
        JdbcStore store = Database.open(config.databaseUrl(), config.dataDir(), box);
        AddressPolicy policy = AddressPolicy.parse(config.allowedTargets());
        JettyWebhookTransport transport = new JettyWebhookTransport(
                policy,
                CONNECT_TIMEOUT.compareTo(config.deliveryTimeout()) < 0 ? CONNECT_TIMEOUT : config.deliveryTimeout(),
                config.deliveryTimeout(),
                clock,
                config.deliveryConcurrency(),
                config.egress().proxy(),
                config.egress().proxyUser(),
                config.egress().proxyPassword(),
                config.egress().bindAddress());
        IdGenerator ids = new IdGenerator(clock, random);
        RetryPolicy retry = new RetryPolicy(config.retrySchedule(), config.retryHorizon(), RetryPolicy.DEFAULT_JITTER);
        EndpointHealthPolicy health = new EndpointHealthPolicy(EndpointHealthPolicy.DEFAULT_THRESHOLD, retry);
        AttemptMaker attempts = new AttemptMaker(
                        transport, retry, health, clock, random::nextDouble, ids, "Partnerhooks/" + VERSION)
                .tracing(tracing);
        Dispatcher dispatcher = new Dispatcher(
                store.queue(),
                attempts,
                clock,
                config.deliveryConcurrency(),
                Math.min(config.deliveryConcurrency(), 100),
                lease(config),
                Duration.ofSeconds(1));

        Metrics metrics = new Metrics(store.queue(), clock, VERSION);
        dispatcher.observe(metrics);
        metrics.dispatcher(dispatcher);
        // Operations (audit, retention): work woken inside a unit of work is woken once it has committed.
        Transactions tx = store.transactions();
        Runnable wake = () -> tx.afterCommit(dispatcher::wake);
        AuditTrail audit = new AuditTrail(store.audit(), tx, ids, clock, metrics::audited);
        RetentionTask retention = config.retentionDays() == 0
                ? null
                : new RetentionTask(
                        new ApplyRetention(
                                store.retention(),
                                clock,
                                Duration.ofDays(config.retentionDays()),
                                ApplyRetention.DEFAULT_BATCH,
                                ApplyRetention.DEFAULT_PAUSE,
                                d -> Thread.sleep(d),
                                metrics::retentionRemoved),
                        config.retentionDays());
        ManageEndpoints endpoints = new ManageEndpoints(store.endpoints(), store.queue(), policy, ids, clock, random);
        RotateSecret rotate = new RotateSecret(store.endpoints(), clock, random);
        Redeliver redeliver = new Redeliver(store.queue(), store.endpoints(), clock, wake, ids);
        CreatePartner createPartner = new CreatePartner(store.partners(), ids, clock, random);
        EventCatalog catalog = EventCatalog.load();
        PublishEvent publish = new PublishEvent(
                        store.partners(), store.endpoints(), store.events(), ids, clock, wake, catalog, dispatcher)
                .tracing(tracing);
        ManageApiKeys apiKeys = new ManageApiKeys(store.partners(), ids, clock, random);
        Auth auth = new Auth(apiKeys, token);
        // One audited path for every change to endpoints and deliveries: partner API, compatibility routes, dashboard.
        AuditedChanges changes = new AuditedChanges(endpoints, store.events(), rotate, redeliver, audit);
        // issue 20: the reads the API and the dashboard share
        ReadEvents readEvents = new ReadEvents(store.events());
        ReadDeliveries readDeliveries = new ReadDeliveries(store.events());
        ComputeEndpointStats endpointStats = new ComputeEndpointStats(store.events(), clock);
        // issue 16: replays, worked in batches by a background task on every node
        AtomicReference<ReplayTask> replayTask = new AtomicReference<>();
        ReplayEvents replays = new ReplayEvents(
                store.replays(),
                store.endpoints(),
                endpoints,
                ids,
                clock,
                dispatcher::wake,
                () -> tx.afterCommit(() -> replayTask.get().wake()),
                ReplayEvents.DEFAULT_BATCH);
        // issue 16 item 4: operational events, swept on every node (ADR 14)
        AnnounceOperations announce = new AnnounceOperations(store.endpoints(), store.events(), tx, ids, clock, wake);
        replays.announcing(tx, announce);
        replayTask.set(new ReplayTask(replays));
        changes.withReplays(replays);
        // issue 16 item 2: the pull stream and its consumers
        ReadStream readStream = new ReadStream(store.stream(), catalog, clock, config.retentionDays(), audit);
        // issue 6: test sends
        SendTestEvent sendTest = new SendTestEvent(store.endpoints(), store.events(), catalog, ids, clock, wake);
        // issue 17: one-time portal links, made with PUBLIC_URL (or this server's own port once it listens)
        PortalLinks portalLinks = new PortalLinks(store.portalLinks(), store.partners(), clock, random);
        AtomicReference<Javalin> listening = new AtomicReference<>();
        Supplier<String> origin = () -> config.ui().publicUrl() != null
                ? config.ui().publicUrl()
                : "http://localhost:" + listening.get().port();
        RecordFacts facts = new RecordFacts(
                store.entities(), store.workspaces(), store.partners(), store.endpoints(), ids, clock, random, wake);
        ManageWorkspaces manageWorkspaces =
                new ManageWorkspaces(store.workspaces(), store.partners(), store.endpoints(), ids, clock, wake);
        // the transport also makes the verification handshake with a number's messaging webhook
        ManageMessagingWebhook messagingWebhooks =
                new ManageMessagingWebhook(store.entities(), store.endpoints(), policy, transport, ids, clock, random);
        // Meta inbound (issue 5)
        ReceiveMetaCallback receiveMeta = new ReceiveMetaCallback(
                        store.metaInbox(), store.endpoints(), catalog, ids, clock, wake, dispatcher)
                .tracing(tracing);
        Dashboard dashboard = new Dashboard(
                new Dashboard.Services(
                        endpoints,
                        readEvents,
                        readDeliveries,
                        endpointStats,
                        new ReadPartners(store.partners()),
                        changes,
                        sendTest,
                        catalog,
                        token,
                        apiKeys,
                        new Dashboard.World(manageWorkspaces, messagingWebhooks, facts)),
                clock,
                random,
                portalLinks,
                config.ui().title(),
                config.ui().accent());

        var draining = new AtomicBoolean();
        // every route of the API, by resource; each group says who may call its routes (issue 20)
        List<RouteGroup> groups = List.of(
                new OpsRoutes(draining::get, store::ping, config.clients().metricsToken(), metrics::scrape),
                ApiDocs.fromWebjar(),
                new EndpointRoutes(endpoints, endpointStats, changes, sendTest),
                new ReplayRoutes(changes),
                new DeliveryRoutes(endpoints, readEvents, readDeliveries, changes),
                new EventRoutes(readEvents, publish, metrics::published, metrics::superseded, spans),
                new EventTypeRoutes(catalog),
                new StreamRoutes(readStream),
                new PartnerRoutes(createPartner, audit),
                new ApiKeyRoutes(apiKeys, audit),
                new PortalLinkRoutes(portalLinks, audit, origin),
                new WorkspaceRoutes(manageWorkspaces, facts, metrics::published, audit),
                new ClientRoutes(facts, metrics::published, audit),
                new ChannelRoutes(facts, metrics::published, audit, endpoints, messagingWebhooks),
                new AuditRoutes(audit),
                new MetaWebhookRoutes(
                        receiveMeta,
                        new ReadMetaInbox(store.metaInbox()),
                        config.metaVerifyToken(),
                        config.metaAppSecret(),
                        metrics::metaCallback,
                        metrics::metaUnroutable,
                        metrics::superseded,
                        spans),
                new CompatRoutes(endpoints, changes, apiKeys));

        List<String> routes = new CopyOnWriteArrayList<>();
        Javalin web = WebServer.create(config, metrics, routes, dashboard::notFound, r -> {
            Routes.install(r, auth, groups);
            dashboard.register(r);
        });
        listening.set(web);
        try {
            web.start();
        } catch (RuntimeException e) {
            transport.close();
            store.close();
            metrics.close();
            if (otel != null) {
                otel.close();
            }
            throw e;
        }
        Node node = Node.start(
                store, transport, dispatcher, web, retention, replayTask.get(), announce, metrics, draining, otel);
        App app = new App(node, token, routes);
        token.generatedNow()
                .ifPresent(t -> System.out.println("\nOperator token (shown once; only its hash is kept in "
                        + config.dataDir() + "):\n  " + t + "\n"));
        log.info(
                "Partnerhooks listening on port {} ({} store)",
                app.port(),
                store.dialect().name());
        return app;
    }

    public int port() {
        return node.web().port();
    }

    /** The tracing the core was given: {@link Tracing#NONE} unless an OTLP endpoint is configured. */
    public Tracing tracing() {
        return node.otel() == null ? Tracing.NONE : node.otel();
    }

    public JdbcStore store() {
        return node.store();
    }

    public Dispatcher dispatcher() {
        return node.dispatcher();
    }

    /** Every route as "METHOD /path" (path parameters as {name}); the OpenAPI drift test reads it. */
    public List<String> routes() {
        return routes;
    }

    public OperatorToken operatorToken() {
        return operatorToken;
    }

    /** The process's Prometheus metrics (routes added elsewhere count into them). */
    public Metrics metrics() {
        return node.metrics();
    }

    /** The replay worker of this node (tests stop it to play several workers themselves). */
    public ReplayTask replayTask() {
        return node.replays();
    }

    /**
     * Stops this node's timed operational-event sweeps (tests that drive the sweep themselves, as
     * they drive the clock, so that no tick announces a state change in the middle of another test).
     */
    public void stopAnnouncementTicks() {
        node.announce().close();
    }

    /** The operational-event sweep (tests run it at once instead of waiting for its tick). */
    public AnnounceOperations announceOperations() {
        return node.announce().operations();
    }

    /** One retention run now (tests); empty when retention is off (RETENTION_DAYS=0). */
    public Optional<ApplyRetention.Totals> runRetention() {
        return Optional.ofNullable(node.retention()).map(RetentionTask::runOnce);
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO, Duration.ofSeconds(5));
    }

    /**
     * A clean stop: {@code /readyz} answers 503 at once so the load balancer moves on, requests are
     * still served for {@code drain}, then the HTTP server stops, sends in flight get until
     * {@code deadline} to finish (the rest are cut and handed back to the queue, as are claims that
     * had not started), pending group commits are written and the database is closed.
     */
    public void shutdown(Duration drain, Duration deadline) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        node.stop(drain, deadline);
    }
}

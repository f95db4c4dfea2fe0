package io.partnerhooks.server.cli;

import io.partnerhooks.server.App;
import io.partnerhooks.server.Clients;
import io.partnerhooks.server.Config;
import io.partnerhooks.server.Egress;
import io.partnerhooks.server.Ui;
import io.partnerhooks.storage.DataDirLock;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code partnerhooks serve | migrate | backup | restore | version | listen | demo}. The options of the database commands also read {@code PARTNERHOOKS_<NAME>}. */
@Command(
        name = "partnerhooks",
        mixinStandardHelpOptions = true,
        version = "Partnerhooks " + App.VERSION,
        description = "Signed, retried, logged partner webhooks for a WhatsApp Business platform.",
        subcommands = {Serve.class, Migrate.class, Backup.class, Restore.class, Version.class, Listen.class, Demo.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        warnAboutUnknownSettings(System.getenv(), System.err);
        int code = new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof Config.InvalidConfigException
                            || e instanceof IllegalArgumentException
                            || e instanceof DataDirLock.HeldException) {
                        cmd.getErr().println("partnerhooks: " + e.getMessage());
                        return 2;
                    }
                    // anything else that stops a command (a port in use, a database that refuses us):
                    // one line with the root cause, no stack trace; the log has the details
                    cmd.getErr().println("partnerhooks: " + cmd.getCommandName() + " failed: " + rootMessage(e));
                    return 1;
                })
                .execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        String last = String.valueOf(e.getMessage());
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            if (root.getMessage() != null) {
                last = root.getMessage();
            }
        }
        String top = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return top.equals(last) ? top : top + " (" + last + ")";
    }

    /** Every PARTNERHOOKS_* variable a command reads, and the launcher's own. */
    public static Set<String> knownSettings() {
        Set<String> known = new TreeSet<>(List.of("PARTNERHOOKS_JAVA_OPTS"));
        Pattern env = Pattern.compile("\\$\\{env:(PARTNERHOOKS_[A-Z0-9_]+)");
        for (var field : Settings.class.getDeclaredFields()) {
            Option o = field.getAnnotation(Option.class);
            if (o != null) {
                var m = env.matcher(o.defaultValue());
                while (m.find()) {
                    known.add(m.group(1));
                }
            }
        }
        return known;
    }

    /** A misspelled setting would otherwise be ignored without a word. */
    static void warnAboutUnknownSettings(Map<String, String> environment, PrintStream err) {
        Set<String> known = knownSettings();
        for (String name : new TreeSet<>(environment.keySet())) {
            if (name.startsWith("PARTNERHOOKS_") && !known.contains(name)) {
                String near = known.stream()
                        .min(Comparator.comparingInt(k -> distance(k, name)))
                        .orElse("");
                err.println("partnerhooks: warning: " + name + " is not a setting and is ignored"
                        + (distance(near, name) <= 3 ? " (did you mean " + near + "?)" : ""));
            }
        }
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(
                        Math.min(cur[j - 1] + 1, prev[j] + 1),
                        prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The settings shared by every command that touches the database. */
    static final class Settings {
        @Option(
                names = "--port",
                defaultValue = "${env:PARTNERHOOKS_PORT:-8080}",
                description = "HTTP port (0 = any free port). Env PARTNERHOOKS_PORT. Default 8080.")
        String port;

        @Option(
                names = "--data-dir",
                defaultValue = "${env:PARTNERHOOKS_DATA_DIR:-./data}",
                description = "Where SQLite and generated keys live. Env PARTNERHOOKS_DATA_DIR. Default ./data.")
        String dataDir;

        @Option(
                names = "--database-url",
                defaultValue = "${env:PARTNERHOOKS_DATABASE_URL:-}",
                description =
                        "Empty: SQLite in the data dir; jdbc:postgresql://...: PostgreSQL. Env PARTNERHOOKS_DATABASE_URL.")
        String databaseUrl;

        @Option(
                names = "--operator-token",
                defaultValue = "${env:PARTNERHOOKS_OPERATOR_TOKEN:-}",
                description =
                        "Bearer token of the platform API; generated on first start when unset. Env PARTNERHOOKS_OPERATOR_TOKEN.")
        String operatorToken;

        @Option(
                names = "--allowed-targets",
                defaultValue = "${env:PARTNERHOOKS_ALLOWED_TARGETS:-}",
                description =
                        "Comma-separated CIDRs the address guard lets through (e.g. 127.0.0.0/8 for local testing). Env PARTNERHOOKS_ALLOWED_TARGETS.")
        String allowedTargets;

        @Option(
                names = "--retry-schedule",
                defaultValue = "${env:PARTNERHOOKS_RETRY_SCHEDULE:-" + Config.DEFAULT_RETRY_SCHEDULE + "}",
                description = "Delays between attempts. Env PARTNERHOOKS_RETRY_SCHEDULE. Default "
                        + Config.DEFAULT_RETRY_SCHEDULE + ".")
        String retrySchedule;

        @Option(
                names = "--retry-horizon",
                defaultValue = "${env:PARTNERHOOKS_RETRY_HORIZON:-24h}",
                description = "No retry later than this after the event. Env PARTNERHOOKS_RETRY_HORIZON. Default 24h.")
        String retryHorizon;

        @Option(
                names = "--delivery-concurrency",
                defaultValue = "${env:PARTNERHOOKS_DELIVERY_CONCURRENCY:-4096}",
                description =
                        "Most deliveries in flight at once per node. Env PARTNERHOOKS_DELIVERY_CONCURRENCY. Default 4096.")
        String deliveryConcurrency;

        @Option(
                names = "--delivery-timeout",
                defaultValue = "${env:PARTNERHOOKS_DELIVERY_TIMEOUT:-15s}",
                description =
                        "Total time one attempt may take (connect is at most 5s of it). Env PARTNERHOOKS_DELIVERY_TIMEOUT. Default 15s.")
        String deliveryTimeout;

        @Option(
                names = "--master-key",
                defaultValue = "${env:PARTNERHOOKS_MASTER_KEY:-}",
                description =
                        "Base64 of 32 bytes; encrypts signing secrets at rest. Generated into the data dir when unset (SQLite only). Env PARTNERHOOKS_MASTER_KEY.")
        String masterKey;

        @Option(
                names = "--max-body-bytes",
                defaultValue = "${env:PARTNERHOOKS_MAX_BODY_BYTES:-1048576}",
                description =
                        "Largest request body accepted. Env PARTNERHOOKS_MAX_BODY_BYTES. Default 1048576 (1 MiB).")
        String maxBodyBytes;

        @Option(
                names = "--meta-verify-token",
                defaultValue = "${env:PARTNERHOOKS_META_VERIFY_TOKEN:-}",
                description =
                        "The verify token Meta's webhook handshake (GET /meta/webhook) must present. Env PARTNERHOOKS_META_VERIFY_TOKEN.")
        String metaVerifyToken;

        @Option(
                names = "--meta-app-secret",
                defaultValue = "${env:PARTNERHOOKS_META_APP_SECRET:-}",
                description =
                        "The Meta app secret that signs callbacks (X-Hub-Signature-256); POST /meta/webhook answers 503 while unset. Env PARTNERHOOKS_META_APP_SECRET.")
        String metaAppSecret;

        @Option(
                names = "--retention-days",
                defaultValue = "${env:PARTNERHOOKS_RETENTION_DAYS:-30}",
                description =
                        "Events, deliveries and attempts older than this are removed (pending deliveries never); 0 keeps everything. Env PARTNERHOOKS_RETENTION_DAYS. Default 30.")
        String retentionDays;

        @Option(
                names = "--egress-proxy",
                defaultValue = "${env:PARTNERHOOKS_EGRESS_PROXY:-}",
                description =
                        "HTTP proxy for every delivery and handshake, http://[user:password@]host:port (partners then see the proxy's address). Env PARTNERHOOKS_EGRESS_PROXY.")
        String egressProxy;

        @Option(
                names = "--egress-bind-address",
                defaultValue = "${env:PARTNERHOOKS_EGRESS_BIND_ADDRESS:-}",
                description = "Send deliveries from this local IP address. Env PARTNERHOOKS_EGRESS_BIND_ADDRESS.")
        String egressBindAddress;

        @Option(
                names = "--bind-address",
                defaultValue = "${env:PARTNERHOOKS_BIND_ADDRESS:-0.0.0.0}",
                description =
                        "The local address the HTTP server listens on (0.0.0.0: every interface). Env PARTNERHOOKS_BIND_ADDRESS. Default 0.0.0.0.")
        String bindAddress;

        @Option(
                names = "--metrics-token",
                defaultValue = "${env:PARTNERHOOKS_METRICS_TOKEN:-}",
                description = "When set, /metrics needs Authorization: Bearer <token>. Env PARTNERHOOKS_METRICS_TOKEN.")
        String metricsToken;

        @Option(
                names = "--header-timeout",
                defaultValue = "${env:PARTNERHOOKS_HEADER_TIMEOUT:-10s}",
                description =
                        "A request's headers must arrive within this from their first byte. Env PARTNERHOOKS_HEADER_TIMEOUT. Default 10s.")
        String headerTimeout;

        @Option(
                names = "--body-timeout",
                defaultValue = "${env:PARTNERHOOKS_BODY_TIMEOUT:-30s}",
                description =
                        "A request's body must arrive within this from its first byte. Env PARTNERHOOKS_BODY_TIMEOUT. Default 30s.")
        String bodyTimeout;

        @Option(
                names = "--max-connections-per-client",
                defaultValue = "${env:PARTNERHOOKS_MAX_CONNECTIONS_PER_CLIENT:-256}",
                description =
                        "Open connections one client address may hold (0: no cap). Env PARTNERHOOKS_MAX_CONNECTIONS_PER_CLIENT. Default 256.")
        String maxConnectionsPerClient;

        @Option(
                names = "--shutdown-drain",
                defaultValue = "${env:PARTNERHOOKS_SHUTDOWN_DRAIN:-5s}",
                description =
                        "On SIGTERM: /readyz answers 503 at once and requests are still served this long. Env PARTNERHOOKS_SHUTDOWN_DRAIN. Default 5s.")
        String shutdownDrain;

        @Option(
                names = "--shutdown-timeout",
                defaultValue = "${env:PARTNERHOOKS_SHUTDOWN_TIMEOUT:-20s}",
                description =
                        "On SIGTERM, after the drain: how long sends in flight may take to finish before they are cut and handed back. Env PARTNERHOOKS_SHUTDOWN_TIMEOUT. Default 20s.")
        String shutdownTimeout;

        @Option(
                names = "--public-url",
                defaultValue = "${env:PARTNERHOOKS_PUBLIC_URL:-}",
                description =
                        "The origin partners reach this server at (https://hooks.example.com); portal links are made with it. Empty: http://localhost:<port>. Env PARTNERHOOKS_PUBLIC_URL.")
        String publicUrl;

        @Option(
                names = "--ui-title",
                defaultValue = "${env:PARTNERHOOKS_UI_TITLE:-Partnerhooks}",
                description =
                        "The name the dashboard shows in its header and page titles. Env PARTNERHOOKS_UI_TITLE. Default Partnerhooks.")
        String uiTitle;

        @Option(
                names = "--ui-accent",
                defaultValue = "${env:PARTNERHOOKS_UI_ACCENT:-}",
                description =
                        "The dashboard's accent colour: #rgb, #rrggbb or a plain colour name (red, navy, teal, ...). Env PARTNERHOOKS_UI_ACCENT.")
        String uiAccent;

        @Option(
                names = "--otel-endpoint",
                defaultValue = "${env:PARTNERHOOKS_OTEL_ENDPOINT:-}",
                description =
                        "An OTLP/HTTP collector's base URL (e.g. http://localhost:4318); traces are off while unset. Falls back to OTEL_EXPORTER_OTLP_ENDPOINT. Env PARTNERHOOKS_OTEL_ENDPOINT.")
        String otelEndpoint;

        @Option(
                names = "--otel-service-name",
                defaultValue = "${env:PARTNERHOOKS_OTEL_SERVICE_NAME:-partnerhooks}",
                description = "The service.name spans carry. Env PARTNERHOOKS_OTEL_SERVICE_NAME. Default partnerhooks.")
        String otelServiceName;

        Config toConfig() {
            return new Config(
                    integer("PORT", port),
                    Path.of(dataDir.strip().isEmpty() ? "./data" : dataDir.strip()),
                    databaseUrl,
                    operatorToken,
                    allowedTargets,
                    Config.parseDurations("RETRY_SCHEDULE", retrySchedule),
                    Config.parseDuration("RETRY_HORIZON", retryHorizon),
                    integer("DELIVERY_CONCURRENCY", deliveryConcurrency),
                    Config.parseDuration("DELIVERY_TIMEOUT", deliveryTimeout),
                    masterKey,
                    integer("MAX_BODY_BYTES", maxBodyBytes),
                    metaVerifyToken,
                    metaAppSecret,
                    integer("RETENTION_DAYS", retentionDays),
                    Egress.parse(egressProxy, egressBindAddress),
                    new Clients(
                            Config.parseDuration("HEADER_TIMEOUT", headerTimeout),
                            Config.parseDuration("BODY_TIMEOUT", bodyTimeout),
                            integer("MAX_CONNECTIONS_PER_CLIENT", maxConnectionsPerClient),
                            bindAddress,
                            metricsToken),
                    new Ui(publicUrl, uiTitle, uiAccent),
                    Config.Telemetry.of(otelEndpoint, System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT"), otelServiceName));
        }

        private static int integer(String name, String value) {
            try {
                return Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new Config.InvalidConfigException(name + " must be a whole number, got '" + value + "'");
            }
        }
    }
}

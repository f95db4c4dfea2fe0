package io.partnerhooks.server;

import io.partnerhooks.core.address.AddressPolicy;
import io.partnerhooks.core.crypto.SecretBox;
import io.partnerhooks.core.delivery.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * Every setting, validated once at start-up and frozen. Each comes from a flag {@code --name} or
 * the environment variable {@code PARTNERHOOKS_NAME}; see docs/configuration.md and the README.
 */
public record Config(
        int port,
        Path dataDir,
        String databaseUrl,
        String operatorToken,
        String allowedTargets,
        List<Duration> retrySchedule,
        Duration retryHorizon,
        int deliveryConcurrency,
        Duration deliveryTimeout,
        String masterKey,
        long maxBodyBytes,
        String metaVerifyToken,
        String metaAppSecret,
        int retentionDays,
        Egress egress,
        Clients clients,
        Ui ui,
        Telemetry telemetry) {

    /** Events, deliveries and attempts older than this many days are removed; 0 keeps them for ever. */
    public static final int DEFAULT_RETENTION_DAYS = 30;

    public static final int MAX_RETENTION_DAYS = 3650;

    public static final String DEFAULT_RETRY_SCHEDULE = "5s,30s,2m,10m,30m,1h,2h,4h,6h,8h";

    /** Thrown with a message naming the setting; the CLI prints it and exits 2. */
    public static final class InvalidConfigException extends IllegalArgumentException {
        public InvalidConfigException(String message) {
            super(message);
        }
    }

    public Config {
        if (port < 0 || port > 65535) {
            throw new InvalidConfigException("PORT must be between 0 and 65535, got " + port);
        }
        if (dataDir == null) {
            throw new InvalidConfigException("DATA_DIR must be set");
        }
        databaseUrl = databaseUrl == null ? "" : databaseUrl.strip();
        if (!databaseUrl.isEmpty()
                && !databaseUrl.startsWith("jdbc:postgresql:")
                && !databaseUrl.startsWith("jdbc:sqlite:")) {
            throw new InvalidConfigException(
                    "DATABASE_URL must be empty (SQLite in DATA_DIR) or start with jdbc:postgresql:");
        }
        operatorToken = operatorToken == null || operatorToken.isBlank() ? null : operatorToken.strip();
        allowedTargets = allowedTargets == null ? "" : allowedTargets.strip();
        try {
            AddressPolicy.parse(allowedTargets);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("ALLOWED_TARGETS: " + e.getMessage());
        }
        if (retrySchedule == null || retrySchedule.isEmpty()) {
            throw new InvalidConfigException("RETRY_SCHEDULE must list at least one delay");
        }
        retrySchedule = List.copyOf(retrySchedule);
        if (retryHorizon == null || retryHorizon.isZero() || retryHorizon.isNegative()) {
            throw new InvalidConfigException("RETRY_HORIZON must be a positive duration");
        }
        if (deliveryConcurrency < 1 || deliveryConcurrency > 10_000) {
            throw new InvalidConfigException(
                    "DELIVERY_CONCURRENCY must be between 1 and 10000, got " + deliveryConcurrency);
        }
        if (deliveryTimeout == null
                || deliveryTimeout.toMillis() < 100
                || deliveryTimeout.compareTo(Duration.ofSeconds(50)) > 0) {
            throw new InvalidConfigException("DELIVERY_TIMEOUT must be between 100ms and 50s");
        }
        masterKey = masterKey == null || masterKey.isBlank() ? null : masterKey.strip();
        if (masterKey != null) {
            try {
                SecretBox.parseKey(masterKey);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(e.getMessage());
            }
        }
        if (maxBodyBytes < 1024 || maxBodyBytes > 64L * 1024 * 1024) {
            throw new InvalidConfigException("MAX_BODY_BYTES must be between 1024 and 67108864, got " + maxBodyBytes);
        }
        // Meta inbound: both unset turns /meta/webhook off (503); a blank value counts as unset.
        metaVerifyToken = metaVerifyToken == null || metaVerifyToken.isBlank() ? null : metaVerifyToken.strip();
        metaAppSecret = metaAppSecret == null || metaAppSecret.isBlank() ? null : metaAppSecret.strip();
        egress = egress == null ? Egress.NONE : egress;
        clients = clients == null ? Clients.DEFAULTS : clients;
        ui = ui == null ? Ui.DEFAULTS : ui;
        telemetry = telemetry == null ? Telemetry.OFF : telemetry;
        if (retentionDays < 0 || retentionDays > MAX_RETENTION_DAYS) {
            throw new InvalidConfigException("RETENTION_DAYS must be between 0 (keep for ever) and "
                    + MAX_RETENTION_DAYS + ", got " + retentionDays);
        }
    }

    public static Config defaults(Path dataDir) {
        return new Config(
                8080,
                dataDir,
                "",
                null,
                "",
                RetryPolicy.DEFAULT_SCHEDULE,
                RetryPolicy.DEFAULT_HORIZON,
                4096,
                Duration.ofSeconds(15),
                null,
                1024 * 1024,
                null,
                null,
                DEFAULT_RETENTION_DAYS,
                Egress.NONE,
                Clients.DEFAULTS,
                Ui.DEFAULTS,
                Telemetry.OFF);
    }

    public Config withPort(int p) {
        return copy(next -> next.port = p);
    }

    public Config withDatabaseUrl(String url) {
        return copy(next -> next.databaseUrl = url);
    }

    public Config withOperatorToken(String token) {
        return copy(next -> next.operatorToken = token);
    }

    public Config withAllowedTargets(String cidrs) {
        return copy(next -> next.allowedTargets = cidrs);
    }

    public Config withMasterKey(String key) {
        return copy(next -> next.masterKey = key);
    }

    public Config withRetry(List<Duration> schedule, Duration horizon) {
        return copy(next -> {
            next.retrySchedule = schedule;
            next.retryHorizon = horizon;
        });
    }

    public Config withDeliveryConcurrency(int n) {
        return copy(next -> next.deliveryConcurrency = n);
    }

    public Config withDeliveryTimeout(Duration d) {
        return copy(next -> next.deliveryTimeout = d);
    }

    public Config withRetentionDays(int days) {
        return copy(next -> next.retentionDays = days);
    }

    public Config withMeta(String verifyToken, String appSecret) {
        return copy(next -> {
            next.metaVerifyToken = verifyToken;
            next.metaAppSecret = appSecret;
        });
    }

    public Config withClients(Clients c) {
        return copy(next -> next.clients = c);
    }

    public Config withUi(Ui u) {
        return copy(next -> next.ui = u);
    }

    public Config withTelemetry(Telemetry t) {
        return copy(next -> next.telemetry = t);
    }

    /**
     * Traces (ADR 15): {@code endpoint} an OTLP/HTTP collector's base URL (OTEL_ENDPOINT, or the
     * standard OTEL_EXPORTER_OTLP_ENDPOINT), null = tracing off; spans name {@code serviceName}.
     */
    public record Telemetry(String endpoint, String serviceName) {
        public static final String DEFAULT_SERVICE_NAME = "partnerhooks";
        public static final Telemetry OFF = new Telemetry(null, DEFAULT_SERVICE_NAME);

        public Telemetry {
            endpoint = endpoint == null || endpoint.isBlank() ? null : endpoint.strip();
            serviceName = serviceName == null || serviceName.isBlank() ? DEFAULT_SERVICE_NAME : serviceName.strip();
            if (endpoint != null && !endpoint.matches("(?i)https?://[^\\s/]+(/\\S*)?")) {
                throw new InvalidConfigException(
                        "OTEL_ENDPOINT must be an http:// or https:// URL, got '" + endpoint + "'");
            }
        }

        /** PARTNERHOOKS_OTEL_ENDPOINT when set, else OTEL_EXPORTER_OTLP_ENDPOINT. */
        public static Telemetry of(String ours, String standard, String serviceName) {
            return new Telemetry(ours != null && !ours.isBlank() ? ours : standard, serviceName);
        }

        String describe() {
            return "OTEL_ENDPOINT=" + (endpoint == null ? "(off)" : maskUrl(endpoint)) + " OTEL_SERVICE_NAME="
                    + serviceName;
        }
    }

    public Config withEgress(Egress e) {
        return copy(next -> next.egress = e);
    }

    /** "5s,30s,2m,1h" → durations; units ms, s, m, h, d. */
    public static List<Duration> parseDurations(String name, String csv) {
        List<Duration> out = new ArrayList<>();
        for (String part : csv.split(",")) {
            out.add(parseDuration(name, part));
        }
        return out;
    }

    public static Duration parseDuration(String name, String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (s.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            } else if (s.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            } else if (s.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            } else if (s.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
            } else if (s.endsWith("d")) {
                d = Duration.ofDays(Long.parseLong(s.substring(0, s.length() - 1)));
            } else {
                throw new NumberFormatException();
            }
            if (d.isNegative() || d.isZero()) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(
                    name + ": '" + text.strip() + "' is not a positive duration such as 30s, 10m, 2h");
        }
    }

    /** The effective settings for the start-up log line, secrets masked. */
    public String describe() {
        StringJoiner j = new StringJoiner(" ");
        j.add("PORT=" + port);
        j.add("DATA_DIR=" + dataDir);
        j.add("DATABASE_URL=" + (databaseUrl.isEmpty() ? "(sqlite in DATA_DIR)" : maskUrl(databaseUrl)));
        j.add("OPERATOR_TOKEN=" + (operatorToken == null ? "(generated, kept hashed in DATA_DIR)" : "****"));
        j.add("ALLOWED_TARGETS=" + (allowedTargets.isEmpty() ? "(none)" : allowedTargets));
        j.add("RETRY_SCHEDULE="
                + retrySchedule.stream()
                        .map(Config::formatDuration)
                        .reduce((a, b) -> a + "," + b)
                        .orElse(""));
        j.add("RETRY_HORIZON=" + formatDuration(retryHorizon));
        j.add("DELIVERY_CONCURRENCY=" + deliveryConcurrency);
        j.add("DELIVERY_TIMEOUT=" + formatDuration(deliveryTimeout));
        j.add("MASTER_KEY=" + (masterKey == null ? "(generated, kept in DATA_DIR)" : "****"));
        j.add("MAX_BODY_BYTES=" + maxBodyBytes);
        j.add("META_VERIFY_TOKEN=" + (metaVerifyToken == null ? "(unset)" : "****"));
        j.add("META_APP_SECRET=" + (metaAppSecret == null ? "(unset)" : "****"));
        j.add("RETENTION_DAYS=" + (retentionDays == 0 ? "0 (keep for ever)" : retentionDays));
        j.add(egress.describe());
        j.add(telemetry.describe());
        j.add("HEADER_TIMEOUT=" + formatDuration(clients.headerTimeout()) + " BODY_TIMEOUT="
                + formatDuration(clients.bodyTimeout()) + " MAX_CONNECTIONS_PER_CLIENT="
                + (clients.maxConnectionsPerClient() == 0 ? "0 (no cap)" : clients.maxConnectionsPerClient()));
        j.add("BIND_ADDRESS=" + clients.bindAddress());
        j.add("METRICS_TOKEN=" + (clients.metricsToken() == null ? "(unset: /metrics is open)" : "****"));
        j.add("PUBLIC_URL=" + (ui.publicUrl() == null ? "(http://localhost:" + port + ")" : ui.publicUrl()));
        j.add("UI_TITLE=" + ui.title() + " UI_ACCENT=" + (ui.accent() == null ? "(built-in)" : ui.accent()));
        return j.toString();
    }

    static String maskUrl(String url) {
        // jdbc:postgresql://host/db?user=x&password=secret → password=****
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****").replaceAll("//([^/@:]+):([^/@]+)@", "//$1:****@");
    }

    static String formatDuration(Duration d) {
        long s = d.toSeconds();
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    /** This configuration with some settings changed, checked like any other (the {@code withX} methods). */
    private Config copy(Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return c.build();
    }

    /** The settings of a configuration being copied, one field per component. */
    private static final class Copy {
        int port;
        Path dataDir;
        String databaseUrl;
        String operatorToken;
        String allowedTargets;
        List<Duration> retrySchedule;
        Duration retryHorizon;
        int deliveryConcurrency;
        Duration deliveryTimeout;
        String masterKey;
        long maxBodyBytes;
        String metaVerifyToken;
        String metaAppSecret;
        int retentionDays;
        Egress egress;
        Clients clients;
        Ui ui;
        Telemetry telemetry;

        Copy(Config from) {
            port = from.port;
            dataDir = from.dataDir;
            databaseUrl = from.databaseUrl;
            operatorToken = from.operatorToken;
            allowedTargets = from.allowedTargets;
            retrySchedule = from.retrySchedule;
            retryHorizon = from.retryHorizon;
            deliveryConcurrency = from.deliveryConcurrency;
            deliveryTimeout = from.deliveryTimeout;
            masterKey = from.masterKey;
            maxBodyBytes = from.maxBodyBytes;
            metaVerifyToken = from.metaVerifyToken;
            metaAppSecret = from.metaAppSecret;
            retentionDays = from.retentionDays;
            egress = from.egress;
            clients = from.clients;
            ui = from.ui;
            telemetry = from.telemetry;
        }

        Config build() {
            return new Config(
                    port,
                    dataDir,
                    databaseUrl,
                    operatorToken,
                    allowedTargets,
                    retrySchedule,
                    retryHorizon,
                    deliveryConcurrency,
                    deliveryTimeout,
                    masterKey,
                    maxBodyBytes,
                    metaVerifyToken,
                    metaAppSecret,
                    retentionDays,
                    egress,
                    clients,
                    ui,
                    telemetry);
        }
    }
}

package io.partnerhooks.server;

import io.partnerhooks.core.address.AddressPolicy;
import io.partnerhooks.core.delivery.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

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
        if (!databaseUrl.isEmpty() && !databaseUrl.startsWith("jdbc:postgresql:") && !databaseUrl.startsWith("jdbc:sqlite:")) {
            throw new InvalidConfigException("DATABASE_URL must be empty (SQLite in DATA_DIR) or start with jdbc:postgresql:");
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
            throw new InvalidConfigException("DELIVERY_CONCURRENCY must be between 1 and 10000, got " + deliveryConcurrency);
        }
        if (deliveryTimeout == null || deliveryTimeout.toMillis() < 100 || deliveryTimeout.compareTo(Duration.ofSeconds(50)) > 0) {
            throw new InvalidConfigException("DELIVERY_TIMEOUT must be between 100ms and 50s");
        }
        masterKey = masterKey == null || masterKey.isBlank() ? null : masterKey.strip();
        if (masterKey != null) {
            try {
                io.partnerhooks.core.crypto.SecretBox.parseKey(masterKey);
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
            throw new InvalidConfigException("RETENTION_DAYS must be between 0 (keep for ever) and " + MAX_RETENTION_DAYS
                    + ", got " + retentionDays);
        }
    }

    public static Config defaults(Path dataDir) {
        return new Config(8080, dataDir, "", null, "", RetryPolicy.DEFAULT_SCHEDULE, RetryPolicy.DEFAULT_HORIZON, 4096,
                Duration.ofSeconds(15), null, 1024 * 1024, null, null, DEFAULT_RETENTION_DAYS, Egress.NONE, Clients.DEFAULTS, Ui.DEFAULTS,
                Telemetry.OFF);
    }

    public Config withPort(int p) {
        return new Config(p, dataDir, databaseUrl, operatorToken, allowedTargets, retrySchedule, retryHorizon, deliveryConcurrency, deliveryTimeout, masterKey, maxBodyBytes, metaVerifyToken, metaAppSecret, retentionDays, egress, clients, ui, telemetry);
    }

    public Config withDatabaseUrl(String url) {
        return new Config(port, dataDir, url, operatorToken, allowedTargets, retrySchedule, retryHorizon, deliveryConcurrency, deliveryTimeout, masterKey, maxBodyBytes, metaVerifyToken, metaAppSecret, retentionDays, egress, clients, ui, telemetry);
    }

    public Config withOperatorToken(String token) {
        return new Config(port, dataDir, databaseUrl, token, allowedTargets, retrySchedule, retryHorizon, deliveryConcurrency, deliveryTimeout, masterKey, maxBodyBytes, metaVerifyToken, metaAppSecret, retentionDays, egress, clients, ui, telemetry);
    }

    public Config withAllowedTargets(String cidrs) {
        return new Config(port, dataDir, databaseUrl, operatorToken, cidrs, retrySchedule, retryHorizon, deliveryConcurrency, deliveryTimeout, masterKey, maxBodyBytes, metaVerifyToken, metaAppSecret, retentionDays, egress, clients, ui, telemetry);
    }

    public Config withMasterKey(String key) {
        return new Config(port, dataDir, databaseUrl, operatorToken, allowedTargets, retrySchedule, retryHorizon, deliveryConcurrency, deliveryTimeout, key, maxBodyBytes, metaVerifyToken, metaAppSecret, retentionDays, egress, clients, ui, telemetry);
    }

    public Config withRetry(List<Duration> schedule, Duration horizon) {
        return new Config(port, dataDir, databaseUrl, operatorToken, allowedTargets, schedule, horizon, deliveryConcurrency, deliveryTimeout, masterKey, maxBodyBytes, metaVerifyToken, metaAppSecret, retentionDays, egress, clients, ui, telemetry);
    }

    public Config withDeliveryConcurrency(int n) {
        return new Config(port, dataDir, databaseUrl, operatorToken, allowedTargets, retrySchedule, retryHorizon, n, deliveryTimeout, masterKey, maxBodyBytes, metaVerifyToken, metaAppSecret, retentionDays, egress, clients, ui, telemetry);
    }

    public Config withDeliveryTimeout(Duration d) {
        return new Config(port, dataDir, databaseUrl, operatorToken, allowedTargets, retrySchedule, retryHorizon, deliveryConcurrency, d, masterKey, maxBodyBytes, metaVerifyToken, metaAppSecret, retentionDays, egress, clients, ui, telemetry);
    }

    public Config withRetentionDays(int days) {
        return new Config(port, dataDir, databaseUrl, operatorToken, allowedTargets, retrySchedule, retryHorizon, deliveryConcurrency, deliveryTimeout, masterKey, maxBodyBytes, metaVerifyToken, metaAppSecret, days, egress, clients, ui, telemetry);
    }

    public Config withMeta(String verifyToken, String appSecret) {
        return new Config(port, dataDir, databaseUrl, operatorToken, allowedTargets, retrySchedule, retryHorizon, deliveryConcurrency, deliveryTimeout, masterKey, maxBodyBytes, verifyToken, appSecret, retentionDays, egress, clients, ui, telemetry);
    }

    public Config withClients(Clients c) {
        return new Config(port, dataDir, databaseUrl, operatorToken, allowedTargets, retrySchedule, retryHorizon, deliveryConcurrency, deliveryTimeout, masterKey, maxBodyBytes, metaVerifyToken, metaAppSecret, retentionDays, egress, c, ui, telemetry);
    }

    /**
     * The HTTP server and its clients: BIND_ADDRESS to listen on; what one client may hold
     * (HEADER_TIMEOUT and BODY_TIMEOUT from a request's first header byte and first body byte,
     * MAX_CONNECTIONS_PER_CLIENT open connections, 0: no cap); METRICS_TOKEN, when set, the bearer
     * token {@code /metrics} asks for.
     */
    public record Clients(Duration headerTimeout, Duration bodyTimeout, int maxConnectionsPerClient, String bindAddress,
            String metricsToken) {
        public static final Clients DEFAULTS = new Clients(Duration.ofSeconds(10), Duration.ofSeconds(30), 256);

        public Clients(Duration headerTimeout, Duration bodyTimeout, int maxConnectionsPerClient) {
            this(headerTimeout, bodyTimeout, maxConnectionsPerClient, "0.0.0.0", null);
        }

        public Clients {
            if (headerTimeout == null || headerTimeout.compareTo(Duration.ofMillis(100)) < 0 || headerTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new InvalidConfigException("HEADER_TIMEOUT must be between 100ms and 10m");
            }
            if (bodyTimeout == null || bodyTimeout.compareTo(Duration.ofMillis(100)) < 0 || bodyTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new InvalidConfigException("BODY_TIMEOUT must be between 100ms and 10m");
            }
            if (maxConnectionsPerClient < 0 || maxConnectionsPerClient > 1_000_000) {
                throw new InvalidConfigException("MAX_CONNECTIONS_PER_CLIENT must be between 0 (no cap) and 1000000, got "
                        + maxConnectionsPerClient);
            }
            bindAddress = bindAddress == null || bindAddress.isBlank() ? "0.0.0.0" : bindAddress.strip();
            // a literal only: binding to a name would depend on a DNS answer at start-up
            if (!bindAddress.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
                throw new InvalidConfigException("BIND_ADDRESS must be an IP address of this host (0.0.0.0 for all, 127.0.0.1"
                        + " for loopback only), got '" + bindAddress + "'");
            }
            try {
                java.net.InetAddress.getByName(bindAddress);
            } catch (java.net.UnknownHostException e) {
                throw new InvalidConfigException("BIND_ADDRESS must be an IP address of this host, got '" + bindAddress + "'");
            }
            metricsToken = metricsToken == null || metricsToken.isBlank() ? null : metricsToken.strip();
            if (metricsToken != null && metricsToken.length() < 16) {
                throw new InvalidConfigException("METRICS_TOKEN must be at least 16 characters");
            }
        }
    }

    public Config withUi(Ui u) {
        return new Config(port, dataDir, databaseUrl, operatorToken, allowedTargets, retrySchedule, retryHorizon, deliveryConcurrency, deliveryTimeout, masterKey, maxBodyBytes, metaVerifyToken, metaAppSecret, retentionDays, egress, clients, u, telemetry);
    }

    /**
     * The dashboard as partners see it: PUBLIC_URL, the origin portal links are made with (null:
     * {@code http://localhost:<port>}); TITLE, the name in the header and the page titles; ACCENT,
     * the header and link colour (null: the built-in look). ACCENT is checked strictly, as it goes
     * into the page's CSS: {@code #rgb}, {@code #rrggbb} or one of {@link #NAMED_COLOURS}.
     */
    public record Ui(String publicUrl, String title, String accent) {
        public static final String DEFAULT_TITLE = "Partnerhooks";
        public static final java.util.Set<String> NAMED_COLOURS = java.util.Set.of("black", "white", "gray", "grey", "silver",
                "red", "maroon", "orange", "gold", "yellow", "olive", "green", "lime", "teal", "aqua", "navy", "blue",
                "purple", "fuchsia", "pink", "brown", "crimson", "indigo", "tomato", "coral");
        public static final Ui DEFAULTS = new Ui(null, DEFAULT_TITLE, null);

        public Ui {
            publicUrl = publicUrl == null || publicUrl.isBlank() ? null : publicUrl.strip();
            if (publicUrl != null) {
                java.net.URI u;
                try {
                    u = new java.net.URI(publicUrl);
                } catch (java.net.URISyntaxException e) {
                    throw new InvalidConfigException("PUBLIC_URL is not a URL: " + e.getReason());
                }
                if (u.getScheme() == null || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))
                        || u.getHost() == null || u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) {
                    throw new InvalidConfigException("PUBLIC_URL must be an http:// or https:// URL without user, query or fragment,"
                            + " such as https://hooks.example.com, got '" + publicUrl + "'");
                }
                while (publicUrl.endsWith("/")) {
                    publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
                }
            }
            title = title == null || title.isBlank() ? DEFAULT_TITLE : title.strip();
            if (title.length() > 80 || title.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidConfigException("UI_TITLE must be at most 80 characters, without control characters");
            }
            accent = accent == null || accent.isBlank() ? null : accent.strip().toLowerCase(Locale.ROOT);
            if (accent != null && !accent.matches("#[0-9a-f]{3}|#[0-9a-f]{6}") && !NAMED_COLOURS.contains(accent)) {
                throw new InvalidConfigException("UI_ACCENT must be a colour as #rgb, #rrggbb or one of "
                        + new java.util.TreeSet<>(NAMED_COLOURS) + ", got '" + accent + "'");
            }
        }
    }

    public Config withTelemetry(Telemetry t) {
        return new Config(port, dataDir, databaseUrl, operatorToken, allowedTargets, retrySchedule, retryHorizon, deliveryConcurrency, deliveryTimeout, masterKey, maxBodyBytes, metaVerifyToken, metaAppSecret, retentionDays, egress, clients, ui, t);
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
                throw new InvalidConfigException("OTEL_ENDPOINT must be an http:// or https:// URL, got '" + endpoint + "'");
            }
        }

        /** PARTNERHOOKS_OTEL_ENDPOINT when set, else OTEL_EXPORTER_OTLP_ENDPOINT. */
        public static Telemetry of(String ours, String standard, String serviceName) {
            return new Telemetry(ours != null && !ours.isBlank() ? ours : standard, serviceName);
        }

        String describe() {
            return "OTEL_ENDPOINT=" + (endpoint == null ? "(off)" : maskUrl(endpoint)) + " OTEL_SERVICE_NAME=" + serviceName;
        }
    }

    public Config withEgress(Egress e) {
        return new Config(port, dataDir, databaseUrl, operatorToken, allowedTargets, retrySchedule, retryHorizon, deliveryConcurrency, deliveryTimeout, masterKey, maxBodyBytes, metaVerifyToken, metaAppSecret, retentionDays, e, clients, ui, telemetry);
    }

    /**
     * How deliveries leave the host: through an HTTP proxy (EGRESS_PROXY, {@code http://[user:pass@]host:port}),
     * so partners can allow-list the proxy's one address, and/or from one local address (EGRESS_BIND_ADDRESS).
     */
    public record Egress(java.net.URI proxy, String proxyUser, String proxyPassword, java.net.InetAddress bindAddress) {
        public static final Egress NONE = new Egress(null, null, null, null);

        public static Egress parse(String proxyText, String bindText) {
            java.net.URI proxy = null;
            String user = null;
            String password = null;
            String p = proxyText == null ? "" : proxyText.strip();
            if (!p.isEmpty()) {
                java.net.URI u;
                try {
                    u = new java.net.URI(p);
                } catch (java.net.URISyntaxException e) {
                    throw new InvalidConfigException("EGRESS_PROXY is not a URL: " + e.getReason());
                }
                if (!"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null || u.getPort() < 1 || u.getPort() > 65535
                        || (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))
                        || u.getRawQuery() != null || u.getRawFragment() != null) {
                    throw new InvalidConfigException("EGRESS_PROXY must look like http://host:port or http://user:password@host:port");
                }
                if (u.getRawUserInfo() != null) {
                    String[] up = u.getRawUserInfo().split(":", 2);
                    user = java.net.URLDecoder.decode(up[0], java.nio.charset.StandardCharsets.UTF_8);
                    password = up.length > 1 ? java.net.URLDecoder.decode(up[1], java.nio.charset.StandardCharsets.UTF_8) : "";
                }
                proxy = java.net.URI.create("http://" + u.getHost() + ":" + u.getPort());
            }
            java.net.InetAddress bind = null;
            String b = bindText == null ? "" : bindText.strip();
            if (!b.isEmpty()) {
                // a literal only: a name would need a DNS lookup at start-up and could change
                if (!b.matches("[0-9.]+|\\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*\\]?")) {
                    throw new InvalidConfigException("EGRESS_BIND_ADDRESS must be an IP address of this host, got '" + b + "'");
                }
                try {
                    bind = java.net.InetAddress.getByName(b.replace("[", "").replace("]", ""));
                } catch (java.net.UnknownHostException e) {
                    throw new InvalidConfigException("EGRESS_BIND_ADDRESS must be an IP address of this host, got '" + b + "'");
                }
            }
            return new Egress(proxy, user, password, bind);
        }

        String describe() {
            return "EGRESS_PROXY=" + (proxy == null ? "(none)" : proxy + (proxyUser == null ? "" : " (user " + proxyUser + ", password ****)"))
                    + " EGRESS_BIND_ADDRESS=" + (bindAddress == null ? "(any)" : bindAddress.getHostAddress());
        }
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
            throw new InvalidConfigException(name + ": '" + text.strip() + "' is not a positive duration such as 30s, 10m, 2h");
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
        j.add("RETRY_SCHEDULE=" + retrySchedule.stream().map(Config::formatDuration).reduce((a, b) -> a + "," + b).orElse(""));
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
        j.add("HEADER_TIMEOUT=" + formatDuration(clients.headerTimeout()) + " BODY_TIMEOUT=" + formatDuration(clients.bodyTimeout())
                + " MAX_CONNECTIONS_PER_CLIENT=" + (clients.maxConnectionsPerClient() == 0 ? "0 (no cap)" : clients.maxConnectionsPerClient()));
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
}

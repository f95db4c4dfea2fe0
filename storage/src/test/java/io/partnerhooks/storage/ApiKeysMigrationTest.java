package io.partnerhooks.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.partnerhooks.core.domain.KeyHolder;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.storage.jdbc.Dialect;
import io.partnerhooks.storage.jdbc.Jdbc;
import io.partnerhooks.storage.migration.V15__One_owner_per_number;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Migration V16 (a table of keys per partner) keeps every partner's existing key working. Both databases. */
abstract class ApiKeysMigrationTest {
    protected abstract String jdbcUrl();

    protected abstract Dialect dialect();

    private HikariDataSource ds;

    @BeforeEach
    void atVersion15() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl());
        config.setMaximumPoolSize(2);
        ds = new HikariDataSource(config);
        Flyway.configure()
                .dataSource(ds)
                .locations(dialect().migrations())
                .javaMigrations(new V15__One_owner_per_number())
                .target("15")
                .load()
                .migrate();
    }

    @AfterEach
    void close() {
        ds.close();
    }

    @Test
    void eachPartnersKeyMovesIntoTheKeyTableAndStillAuthenticates() throws Exception {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute(
                    "INSERT INTO partners (id, name, api_key_hash, created_at) VALUES ('ptn_a1', 'A', 'hash-a', 1000)");
            s.execute(
                    "INSERT INTO partners (id, name, api_key_hash, created_at) VALUES ('ptn_b2', 'B', 'hash-b', 2000)");
        }
        Database.migrate(ds, dialect());
        JdbcPartnerStore partners = new JdbcPartnerStore(new Jdbc(ds));
        Instant now = Instant.ofEpochMilli(5000);
        KeyHolder a = partners.findByApiKeyHash("hash-a", now).orElseThrow();
        assertThat(a.partner().id().value()).isEqualTo("ptn_a1");
        assertThat(a.key().id().value()).isEqualTo("key_a1");
        assertThat(a.key().prefix()).isEqualTo("phk_");
        assertThat(a.key().createdAt()).isEqualTo(Instant.ofEpochMilli(1000));
        assertThat(a.key().expiresAt()).isNull();
        assertThat(partners.findByApiKeyHash("hash-b", now)
                        .orElseThrow()
                        .partner()
                        .id()
                        .value())
                .isEqualTo("ptn_b2");
        assertThat(partners.keys(new PartnerId("ptn_b2"), now)).hasSize(1);
        assertThat(partners.findByApiKeyHash("hash-c", now)).isEmpty();
    }
}

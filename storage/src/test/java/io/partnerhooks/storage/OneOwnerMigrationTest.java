package io.partnerhooks.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.partnerhooks.storage.jdbc.Dialect;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Migration V15 (one number, one owner) over a database that already breaks the rule: it must
 * refuse, name every offending channel, and leave the schema where it was. Run on both databases.
 */
abstract class OneOwnerMigrationTest {
    protected abstract String jdbcUrl();

    protected abstract Dialect dialect();

    private HikariDataSource ds;

    @BeforeEach
    void atVersion14() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl());
        config.setMaximumPoolSize(2);
        ds = new HikariDataSource(config);
        Flyway.configure()
                .dataSource(ds)
                .locations(dialect().migrations())
                .target("14")
                .load()
                .migrate();
    }

    @AfterEach
    void close() {
        ds.close();
    }

    private void sql(String... statements) throws Exception {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static String channel(String id, String partner, String number, String waba) {
        return "INSERT INTO entities (kind, id, partner_id, state, created_at, updated_at) VALUES ('channel', '" + id
                + "', '" + partner + "', '{\"id\":\"" + id + "\",\"phone_number_id\":\"" + number
                + "\",\"waba_account\":{\"id\":\"" + waba + "\"}}', 1, 1)";
    }

    private String version() throws Exception {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery(
                        "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank DESC")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void refusesToApplyOverDuplicatesAndReportsThem() throws Exception {
        sql(
                "INSERT INTO partners (id, name, api_key_hash, created_at) VALUES ('ptn_a', 'A', 'h1', 1)",
                "INSERT INTO partners (id, name, api_key_hash, created_at) VALUES ('ptn_b', 'B', 'h2', 1)",
                channel("ch_1", "ptn_a", "1065401", "1022901"),
                channel("ch_2", "ptn_b", "1065401", "1022902"),
                channel("ch_3", "ptn_b", "1065403", "1022901"),
                channel("ch_4", "ptn_a", "1065404", "1022904"),
                channel("ch_5", "ptn_a", "1065405", "1022904"));

        assertThatThrownBy(() -> Database.migrate(ds, dialect()))
                .hasStackTraceContaining("phone_number_id 1065401 is on channels ch_1 (ptn_a), ch_2 (ptn_b)")
                .hasStackTraceContaining("waba_id 1022901 is used by more than one partner: ch_1 (ptn_a), ch_3 (ptn_b)")
                // one partner's channels sharing a WABA are not a problem
                .satisfies(e -> assertThat(stackOf(e)).doesNotContain("1022904"));
        assertThat(version()).isEqualTo("14");
    }

    @Test
    void appliesOverCleanDataAndKeepsEachWabaWithItsPartner() throws Exception {
        sql(
                "INSERT INTO partners (id, name, api_key_hash, created_at) VALUES ('ptn_a', 'A', 'h1', 1)",
                channel("ch_4", "ptn_a", "1065404", "1022904"),
                channel("ch_5", "ptn_a", "1065405", "1022904"));
        Database.migrate(ds, dialect());
        assertThat(Integer.parseInt(version())).isGreaterThanOrEqualTo(15);
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT name, value, partner_id FROM entity_claims")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3))
                    .isEqualTo("waba_id 1022904 ptn_a");
            assertThat(rs.next()).isFalse();
        }
        assertThatThrownBy(() -> sql(channel("ch_6", "ptn_a", "1065404", "1022904")))
                .isInstanceOf(SQLException.class);
    }

    private static String stackOf(Throwable e) {
        var w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}

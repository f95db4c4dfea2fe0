package io.partnerhooks.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.storage.jdbc.Jdbc;
import io.partnerhooks.storage.testing.PostgresServer;
import io.partnerhooks.storage.testing.TestKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two migration folders (db/sqlite and db/postgres) must build the same schema: a fresh
 * database of each dialect is migrated to the end and their catalogs are compared as facts (a
 * table, a column with its loose type and nullability, a primary key, a unique constraint, an
 * index with its columns, uniqueness and whether it is partial). Names must match exactly; types
 * are compared by kind (integer, text, boolean, ...), since BIGINT and INTEGER, or TEXT and
 * VARCHAR, store the same values here. Defaults, predicates of partial indexes and triggers are
 * not compared (each dialect spells them its own way).
 */
class MigrationParityTest {
    /**
     * Facts only one dialect has, on purpose. Each entry is checked to exist, so the list cannot
     * outlive the difference it excuses.
     */
    private static final Map<String, String> SQLITE_ONLY = Map.of(
            // V22: the pull stream's place is a counter that an insert trigger bumps in commit order
            // (SQLite has one writer at a time); PostgreSQL uses the writer's transaction id instead
            "column events.stream_pos integer null", "V22: SQLite's stream place, a counter in commit order",
            "table stream_counter", "V22: the counter behind events.stream_pos",
            "column stream_counter.id integer not null", "V22: the counter's single row",
            "column stream_counter.last_value integer not null", "V22: the counter's value",
            "pk stream_counter (id)", "V22: the counter's single row",
            "index events_stream on events (partner_id, stream_pos)", "V22: the stream's order on SQLite");

    private static final Map<String, String> POSTGRES_ONLY = Map.of(
            "column events.stream_xid xid8 not null", "V22: PostgreSQL's stream place, the writing transaction's id",
            "index events_stream on events (partner_id, stream_xid, id)", "V22: the stream's order on PostgreSQL");

    /** Flyway's own bookkeeping table is Flyway's business, with types of its choosing per database. */
    private static final String FLYWAY = "flyway_schema_history";

    @TempDir
    Path dir;

    @Test
    void bothMigrationFoldersDefineTheSameTablesColumnsAndIndexes() {
        Set<String> sqlite;
        Set<String> postgres;
        try (JdbcStore s = Database.open("", dir, TestKeys.box())) {
            sqlite = sqliteFacts(s.jdbc());
        }
        try (JdbcStore p = Database.open(PostgresServer.newDatabaseUrl(), Path.of("unused"), TestKeys.box())) {
            postgres = postgresFacts(p.jdbc());
        }
        // the catalogs were read at all: the core tables and a few of their facts are there
        assertThat(sqlite)
                .contains(
                        "table events",
                        "table deliveries",
                        "column deliveries.next_attempt_at integer not null",
                        "pk events (id)",
                        "index deliveries_endpoint_due on deliveries (endpoint_id, next_attempt_at) partial");
        assertThat(sqlite).as("documented SQLite-only facts").containsAll(SQLITE_ONLY.keySet());
        assertThat(postgres).as("documented PostgreSQL-only facts").containsAll(POSTGRES_ONLY.keySet());

        Set<String> onlySqlite = new TreeSet<>(sqlite);
        onlySqlite.removeAll(postgres);
        onlySqlite.removeAll(SQLITE_ONLY.keySet());
        Set<String> onlyPostgres = new TreeSet<>(postgres);
        onlyPostgres.removeAll(sqlite);
        onlyPostgres.removeAll(POSTGRES_ONLY.keySet());
        assertThat(onlySqlite).as("in db/sqlite but not in db/postgres").isEmpty();
        assertThat(onlyPostgres).as("in db/postgres but not in db/sqlite").isEmpty();
    }

    /** Declared types by kind; a name nobody maps stays itself (so xid8 shows as xid8). */
    static String kind(String declared) {
        String t = declared.toLowerCase(Locale.ROOT).trim();
        int paren = t.indexOf('(');
        if (paren >= 0) {
            t = t.substring(0, paren).trim();
        }
        return switch (t) {
            case "integer", "int", "int2", "int4", "int8", "smallint", "bigint" -> "integer";
            case "text", "varchar", "character varying", "char", "character", "bpchar" -> "text";
            case "boolean", "bool" -> "boolean";
            case "real", "double precision", "float4", "float8", "double" -> "real";
            default -> t;
        };
    }

    private static String column(String table, String name, String type, boolean notNull) {
        return "column " + table + "." + name + " " + kind(type) + (notNull ? " not null" : " null");
    }

    private static String index(String name, String table, List<String> columns, boolean unique, boolean partial) {
        return "index " + name + " on " + table + " (" + String.join(", ", columns) + ")" + (unique ? " unique" : "")
                + (partial ? " partial" : "");
    }

    private static Set<String> sqliteFacts(Jdbc jdbc) {
        Set<String> facts = new TreeSet<>();
        List<String> tables = jdbc.query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                        + " AND name <> ? ORDER BY name",
                rs -> rs.getString(1), FLYWAY);
        for (String t : tables) {
            facts.add("table " + t);
            Map<Integer, String> pk = new TreeMap<>();
            // table_xinfo, not table_info: it lists generated columns too (V9's entities.phone_number_id)
            jdbc.query(
                    "SELECT name, type, \"notnull\", pk FROM pragma_table_xinfo(?)",
                    rs -> {
                        // a PRIMARY KEY column is never null in practice; SQLite only omits saying so
                        facts.add(column(t, rs.getString(1), rs.getString(2), rs.getInt(3) != 0 || rs.getInt(4) > 0));
                        if (rs.getInt(4) > 0) {
                            pk.put(rs.getInt(4), rs.getString(1));
                        }
                        return null;
                    },
                    t);
            if (!pk.isEmpty()) {
                facts.add("pk " + t + " (" + String.join(", ", pk.values()) + ")");
            }
            record Idx(String name, boolean unique, String origin, boolean partial) {}
            List<Idx> indexes = jdbc.query(
                    "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)",
                    rs -> new Idx(rs.getString(1), rs.getInt(2) != 0, rs.getString(3), rs.getInt(4) != 0),
                    t);
            for (Idx i : indexes) {
                List<String> cols = jdbc.query(
                        "SELECT name FROM pragma_index_info(?) ORDER BY seqno",
                        rs -> rs.getString(1) == null ? "<expr>" : rs.getString(1),
                        i.name());
                switch (i.origin()) {
                    case "pk" -> {
                        // the primary key's own index: the pk fact above covers it
                    }
                    case "u" -> facts.add("unique " + t + " (" + String.join(", ", cols) + ")");
                    default -> facts.add(index(i.name(), t, cols, i.unique(), i.partial()));
                }
            }
        }
        return facts;
    }

    private static Set<String> postgresFacts(Jdbc jdbc) {
        Set<String> facts = new TreeSet<>();
        jdbc.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                        + " AND table_type = 'BASE TABLE' AND table_name <> ?",
                rs -> facts.add("table " + rs.getString(1)),
                FLYWAY);
        jdbc.query(
                "SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns"
                        + " WHERE table_schema = current_schema() AND table_name <> ?",
                rs -> facts.add(
                        column(rs.getString(1), rs.getString(2), rs.getString(3), "NO".equals(rs.getString(4)))),
                FLYWAY);
        record Idx(
                String name,
                String table,
                boolean unique,
                boolean primary,
                boolean constraint,
                boolean partial,
                String columns) {}
        // pg_indexes names them; pg_index says which back a constraint and which columns they hold
        List<Idx> indexes = jdbc.query(
                "SELECT i.relname, t.relname, x.indisunique, x.indisprimary,"
                        + " EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype IN ('p', 'u')),"
                        + " x.indpred IS NOT NULL,"
                        + " (SELECT string_agg(COALESCE(a.attname, '<expr>'), ', ' ORDER BY c.ord)"
                        + " FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS c(attnum, ord)"
                        + " LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = c.attnum)"
                        + " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
                        + " JOIN pg_indexes pi ON pi.indexname = i.relname AND pi.tablename = t.relname"
                        + " AND pi.schemaname = current_schema() WHERE t.relname <> ?",
                rs -> new Idx(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getBoolean(3),
                        rs.getBoolean(4),
                        rs.getBoolean(5),
                        rs.getBoolean(6),
                        rs.getString(7)),
                FLYWAY);
        for (Idx i : indexes) {
            if (i.primary()) {
                facts.add("pk " + i.table() + " (" + i.columns() + ")");
            } else if (i.constraint()) {
                facts.add("unique " + i.table() + " (" + i.columns() + ")");
            } else {
                facts.add(index(
                        i.name(),
                        i.table(),
                        new ArrayList<>(List.of(i.columns().split(", "))),
                        i.unique(),
                        i.partial()));
            }
        }
        return facts;
    }
}

package io.partnerhooks.storage.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * One number, one owner (issue 14): a Meta {@code phone_number_id} belongs to one channel (a unique
 * index on the column V9 computes from the channel's state) and a {@code waba_id} to one partner
 * (table {@code entity_claims}, primary key (name, value), filled here from the channels there are).
 *
 * <p>The same statements serve SQLite and PostgreSQL, so this one Java migration is registered for
 * both (see {@code Database.migrate}). Over a database that already breaks either rule it refuses
 * to apply, and its message lists every offending channel: picking a winner silently would hand
 * one partner's WhatsApp traffic to another.
 */
public final class V15__One_owner_per_number extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        List<String> problems = new ArrayList<>();
        group(
                        c,
                        "SELECT phone_number_id, id, partner_id FROM entities WHERE kind = 'channel' AND phone_number_id IN"
                                + " (SELECT phone_number_id FROM entities WHERE kind = 'channel' AND phone_number_id IS NOT NULL"
                                + " GROUP BY phone_number_id HAVING COUNT(*) > 1) ORDER BY phone_number_id, id")
                .forEach((number, channels) ->
                        problems.add("phone_number_id " + number + " is on channels " + String.join(", ", channels)));
        group(
                        c,
                        "SELECT waba_id, id, partner_id FROM entities WHERE kind = 'channel' AND waba_id IN"
                                + " (SELECT waba_id FROM entities WHERE kind = 'channel' AND waba_id IS NOT NULL"
                                + " GROUP BY waba_id HAVING COUNT(DISTINCT partner_id) > 1) ORDER BY waba_id, partner_id, id")
                .forEach((waba, channels) -> problems.add(
                        "waba_id " + waba + " is used by more than one partner: " + String.join(", ", channels)));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("migration V15 (one number, one owner) refuses to apply: "
                    + String.join("; ", problems) + ". Give each phone_number_id one channel and each waba_id one"
                    + " partner (edit those channels' rows in the entities table), then start again.");
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE UNIQUE INDEX entities_one_channel_per_phone_number_id ON entities (phone_number_id)"
                    + " WHERE kind = 'channel'");
            s.execute("DROP INDEX entities_phone_number_id"); // the unique index above serves its lookups
            s.execute("CREATE TABLE entity_claims ("
                    + " name       TEXT NOT NULL,"
                    + " value      TEXT NOT NULL,"
                    + " partner_id TEXT NOT NULL REFERENCES partners (id),"
                    + " created_at BIGINT NOT NULL,"
                    + " PRIMARY KEY (name, value))");
            s.execute("INSERT INTO entity_claims (name, value, partner_id, created_at)"
                    + " SELECT 'waba_id', waba_id, MIN(partner_id), MIN(created_at) FROM entities"
                    + " WHERE kind = 'channel' AND waba_id IS NOT NULL GROUP BY waba_id");
        }
    }

    /** First column → "channel (partner)" of each row, in query order. */
    private static Map<String, List<String>> group(Connection c, String sql) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(rs.getString(2) + " (" + rs.getString(3) + ")");
            }
        }
        return out;
    }
}

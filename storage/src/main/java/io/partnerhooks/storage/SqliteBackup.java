package io.partnerhooks.storage;

import io.partnerhooks.core.crypto.SecretBox;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Properties;

/**
 * Backup and restore of the embedded SQLite database.
 *
 * <p>A backup is {@code VACUUM INTO} from a connection of its own while the server keeps running:
 * SQLite copies one read snapshot (every transaction committed before the copy began, none after),
 * and in WAL mode a reader blocks no writer, so publishes and deliveries go on; what they pay is
 * the disk bandwidth of the copy, and the WAL grows until the copy ends (a checkpoint cannot pass
 * a snapshot still being read). The copy is written beside the target under a temporary name,
 * checked, forced to disk and then renamed, so a target that exists is always a whole backup.
 *
 * <p>A restore checks the backup (a SQLite file, intact, with our schema, its secrets readable
 * with the master key at hand) before it touches anything, takes the data directory's lock (so no
 * server runs on it meanwhile) and replaces the database in one rename. The master key is not in
 * the backup: a database and its key kept apart are worth less to a thief.
 */
public final class SqliteBackup {
    private SqliteBackup() {}

    /** What a backup or restore did. */
    public record Result(Path file, long bytes, long events, long endpoints, long millis) {}

    /** Refused input (a missing database, an existing target, a file that is not a backup). */
    public static final class BackupException extends IllegalArgumentException {
        public BackupException(String message) {
            super(message);
        }
    }

    public static Result backup(Path dataDir, Path target) {
        long t0 = System.nanoTime();
        Path db = dataDir.resolve(Database.SQLITE_FILE);
        if (!Files.isRegularFile(db)) {
            throw new BackupException("no database at " + db.toAbsolutePath() + " (is --data-dir right?)");
        }
        if (Files.exists(target)) {
            throw new BackupException("--to " + target + " already exists; give a new file name");
        }
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new BackupException("--to " + target + ": the directory " + dir + " does not exist");
        }
        Path partial = dir.resolve(target.getFileName() + ".partial");
        try {
            Files.deleteIfExists(partial);
            // VACUUM INTO accepts an empty file: creating it first gives it owner-only rights from the start
            Files.createFile(partial);
            ownerOnly(partial);
            try (Connection c = connect(db);
                    PreparedStatement st = c.prepareStatement("VACUUM INTO ?")) {
                st.setString(1, partial.toString());
                st.execute();
            }
            Counts counts;
            try (Connection c = connect(partial)) {
                check(c, partial);
                counts = counts(c);
            }
            try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(partial, target.toAbsolutePath(), StandardCopyOption.ATOMIC_MOVE);
            return new Result(
                    target, Files.size(target), counts.events, counts.endpoints, (System.nanoTime() - t0) / 1_000_000);
        } catch (SQLException e) {
            throw new IllegalStateException("the backup failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("the backup failed: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // nothing more to clean
            }
        }
    }

    /**
     * Replaces the data directory's database with the backup. With {@code replace} false a data
     * directory that already holds a database is refused; with it, the old database is kept beside
     * as {@code partnerhooks.db.before-restore}.
     */
    public static Result restore(Path source, Path dataDir, SecretBox box, boolean replace) {
        long t0 = System.nanoTime();
        if (!Files.isRegularFile(source)) {
            throw new BackupException("--from " + source + " is not a file");
        }
        if (!isSqlite(source)) {
            throw new BackupException(
                    "--from " + source + " is not a SQLite database (not made by partnerhooks backup)");
        }
        Path db = dataDir.resolve(Database.SQLITE_FILE);
        Path incoming = dataDir.resolve(Database.SQLITE_FILE + ".restoring");
        try (DataDirLock lock = DataDirLock.acquire(dataDir, "restore into it")) {
            Database.ownerOnly(dataDir, db);
            boolean existing = Files.exists(db) && Files.size(db) > 0;
            if (existing && !replace) {
                throw new BackupException(
                        dataDir.toAbsolutePath() + " already holds a database; pass --replace to replace it"
                                + " (the old one is kept as " + Database.SQLITE_FILE + ".before-restore)");
            }
            Files.deleteIfExists(incoming);
            Files.createFile(incoming);
            ownerOnly(incoming);
            try (InputStream in = Files.newInputStream(source)) {
                Files.copy(in, incoming, StandardCopyOption.REPLACE_EXISTING);
            }
            // checked on our copy, so the operator's backup file is only ever read
            Counts counts;
            try (Connection c = connect(incoming)) {
                check(c, source);
                counts = counts(c);
                secretsOpen(c, box, source);
            } catch (SQLException e) {
                throw new BackupException("--from " + source + " cannot be read as a database: " + e.getMessage());
            }
            for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
                Files.deleteIfExists(dataDir.resolve(incoming.getFileName() + suffix));
            }
            try (FileChannel ch = FileChannel.open(incoming, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            if (existing) {
                Files.move(
                        db,
                        dataDir.resolve(Database.SQLITE_FILE + ".before-restore"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            // the old database's WAL and shared memory belong to it, not to the restored file
            for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
                Files.deleteIfExists(dataDir.resolve(Database.SQLITE_FILE + suffix));
            }
            Files.move(incoming, db, StandardCopyOption.ATOMIC_MOVE);
            return new Result(
                    db, Files.size(db), counts.events, counts.endpoints, (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException("the restore failed: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(incoming);
            } catch (IOException ignored) {
                // nothing more to clean
            }
        }
    }

    private record Counts(long events, long endpoints) {}

    private static Counts counts(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM endpoints)")) {
            rs.next();
            return new Counts(rs.getLong(1), rs.getLong(2));
        }
    }

    private static void check(Connection c, Path file) throws SQLException {
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
                String verdict = rs.next() ? rs.getString(1) : "no answer";
                if (!"ok".equals(verdict)) {
                    throw new BackupException(file + " is damaged: " + verdict);
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                    + " AND name IN ('flyway_schema_history', 'events', 'deliveries', 'endpoints')")) {
                rs.next();
                if (rs.getInt(1) != 4) {
                    throw new BackupException(file + " is a SQLite database but not a Partnerhooks one");
                }
            }
        }
    }

    /** Fails before anything is replaced when the master key at hand cannot open the backup's secrets. */
    private static void secretsOpen(Connection c, SecretBox box, Path file) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT secret FROM endpoints WHERE secret LIKE '" + SecretBox.PREFIX + "%' LIMIT 1")) {
            if (rs.next()) {
                try {
                    box.open(rs.getString(1), "endpoints.secret");
                } catch (IllegalStateException e) {
                    throw new BackupException("the master key in use does not decrypt the signing secrets in " + file
                            + ": copy the master.key of the backed-up data directory into the new one (or set"
                            + " PARTNERHOOKS_MASTER_KEY to the key it used) and run the restore again");
                }
            }
        }
    }

    private static boolean isSqlite(Path file) {
        byte[] magic = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(magic.length);
            return Arrays.equals(head, magic);
        } catch (IOException e) {
            return false;
        }
    }

    private static Connection connect(Path file) throws SQLException {
        Properties p = new Properties();
        p.setProperty("busy_timeout", "15000");
        return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), p);
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }
}

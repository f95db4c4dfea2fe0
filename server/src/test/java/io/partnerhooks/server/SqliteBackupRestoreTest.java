package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.partnerhooks.sdk.WebhookVerifier;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver.Received;
import io.partnerhooks.storage.Database;
import io.partnerhooks.storage.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code partnerhooks backup} and {@code restore}, run as their own processes beside a serving
 * app, as an operator runs them: a backup taken under load holds every event accepted before it
 * began, restores into a new data directory, and its signing secrets still sign; a restore refuses
 * a running server's directory, a wrong master key and files that are not backups.
 */
class SqliteBackupRestoreTest extends AppTestBase {
    @TempDir
    Path other;

    @Override
    protected String databaseUrl() {
        return "";
    }

    record Run(int exit, String out) {}

    /** Runs the CLI in a new JVM with the test's class path. */
    static Run cli(String... args) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                cp,
                "io.partnerhooks.server.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PARTNERHOOKS_"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
        return new Run(p.exitValue(), out);
    }

    static final String KEY = TestKeys.MASTER_KEY_BASE64;

    @Test
    void aBackupUnderLoadRestoresEveryEventAcceptedBeforeItAndItsSecretsStillSign() throws Exception {
        String[] p = partner("Backup BSP");
        String secret =
                endpoint(p[1], receiver.url("/b"), "[\"*\"]").get("secret").asText();
        List<String> accepted = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread load = Thread.ofVirtual().start(() -> {
            while (!stop.get()) {
                accepted.add(publish(p[0], ANY_TYPE, "{}"));
            }
        });
        await().atMost(WAIT).until(() -> accepted.size() >= 50);
        List<String> before = List.copyOf(accepted);
        Path file = other.resolve("nightly.db");
        Run b = cli("backup", "--data-dir", dataDir.toString(), "--to", file.toString());
        stop.set(true);
        load.join();
        assertThat(b.exit()).as(b.out()).isZero();
        assertThat(b.out()).contains("backup written").contains("master key");
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        Path restored = other.resolve("restored");
        Run r = cli("restore", "--data-dir", restored.toString(), "--from", file.toString(), "--master-key", KEY);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("restored:");

        App second = startApp(Config.defaults(restored)
                .withPort(0)
                .withOperatorToken(OPERATOR)
                .withAllowedTargets("127.0.0.0/8")
                .withMasterKey(KEY));
        try {
            Api api2 = new Api(second.port());
            for (String id : before) {
                assertThat(api2.get("/v1/events/" + id, p[1]).status()).as(id).isEqualTo(200);
            }
            String body = "{\"type\":\"" + ANY_TYPE + "\",\"partner_id\":\"" + p[0]
                    + "\",\"subject\":{\"workspace_id\":\"ws_12345\"},\"data\":" + validData(ANY_TYPE, "{}") + "}";
            Api.Response pub = api2.post("/platform/v1/events", OPERATOR, body);
            assertThat(pub.status()).as(pub.body()).isEqualTo(202);
            String fresh = pub.json().get("id").asText();
            await().atMost(WAIT)
                    .until(() -> receiver.received().stream().anyMatch(x -> fresh.equals(x.header("webhook-id"))));
            Received got = receiver.received().stream()
                    .filter(x -> fresh.equals(x.header("webhook-id")))
                    .findFirst()
                    .orElseThrow();
            // signed with the endpoint's secret, decrypted from the restored database
            new WebhookVerifier(secret)
                    .verify(
                            got.body(),
                            got.header("webhook-id"),
                            got.header("webhook-timestamp"),
                            got.header("webhook-signature"),
                            T0);
        } finally {
            second.close();
        }
    }

    @Test
    void restoreRefusesARunningServersDirectoryAndAServerRefusesADirectoryInUse() throws Exception {
        partner("Busy BSP");
        Path file = other.resolve("b.db");
        assertThat(cli("backup", "--data-dir", dataDir.toString(), "--to", file.toString())
                        .exit())
                .isZero();
        long size = Files.size(dataDir.resolve(Database.SQLITE_FILE));

        Run r = cli(
                "restore",
                "--data-dir",
                dataDir.toString(),
                "--from",
                file.toString(),
                "--master-key",
                KEY,
                "--replace");
        assertThat(r.exit()).as(r.out()).isNotZero();
        assertThat(r.out()).contains("in use by another Partnerhooks process").doesNotContain("\tat ");
        assertThat(Files.size(dataDir.resolve(Database.SQLITE_FILE))).isEqualTo(size);

        Run s = cli("serve", "--data-dir", dataDir.toString(), "--port", "0", "--master-key", KEY);
        assertThat(s.exit()).as(s.out()).isNotZero();
        assertThat(s.out()).contains("in use by another Partnerhooks process").doesNotContain("\tat ");
    }

    @Test
    void badBackupsAndTargetsAreRefusedWithAClearLineAndNothingChanges() throws Exception {
        partner("Careful BSP");
        endpoint(partner("Keyed BSP")[1], receiver.url("/k"), "[\"*\"]");
        Path file = other.resolve("b.db");
        assertThat(cli("backup", "--data-dir", dataDir.toString(), "--to", file.toString())
                        .exit())
                .isZero();

        Run again = cli("backup", "--data-dir", dataDir.toString(), "--to", file.toString());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.out()).contains("already exists");

        Run pg = cli(
                "backup",
                "--data-dir",
                dataDir.toString(),
                "--to",
                other.resolve("x.db").toString(),
                "--database-url",
                "jdbc:postgresql://localhost/x");
        assertThat(pg.exit()).isEqualTo(2);
        assertThat(pg.out()).contains("pg_dump");

        Path fresh = other.resolve("fresh");
        Run noKey = cli("restore", "--data-dir", fresh.toString(), "--from", file.toString());
        assertThat(noKey.exit()).isEqualTo(2);
        assertThat(noKey.out()).contains("no master key");

        String wrongKey = Base64.getEncoder().encodeToString(new byte[32]);
        Run wrong = cli("restore", "--data-dir", fresh.toString(), "--from", file.toString(), "--master-key", wrongKey);
        assertThat(wrong.exit()).as(wrong.out()).isEqualTo(2);
        assertThat(wrong.out()).contains("does not decrypt the signing secrets").doesNotContain("\tat ");
        assertThat(
                        Files.exists(fresh.resolve(Database.SQLITE_FILE))
                                ? Files.size(fresh.resolve(Database.SQLITE_FILE))
                                : 0L)
                .as("nothing restored")
                .isZero();

        Path text = other.resolve("notes.txt");
        Files.writeString(text, "not a database");
        Run notDb = cli("restore", "--data-dir", fresh.toString(), "--from", text.toString(), "--master-key", KEY);
        assertThat(notDb.exit()).isEqualTo(2);
        assertThat(notDb.out()).contains("not a SQLite database");

        assertThat(cli("restore", "--data-dir", fresh.toString(), "--from", file.toString(), "--master-key", KEY)
                        .exit())
                .isZero();
        Run twice = cli("restore", "--data-dir", fresh.toString(), "--from", file.toString(), "--master-key", KEY);
        assertThat(twice.exit()).isEqualTo(2);
        assertThat(twice.out()).contains("already holds a database").contains("--replace");
        Run replaced = cli(
                "restore", "--data-dir", fresh.toString(), "--from", file.toString(), "--master-key", KEY, "--replace");
        assertThat(replaced.exit()).as(replaced.out()).isZero();
        assertThat(fresh.resolve(Database.SQLITE_FILE + ".before-restore")).exists();
    }
}

package io.partnerhooks.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A misspelled setting is named, not silently ignored; a start-up failure is one line with its cause. */
class MainSettingsTest {
    @Test
    void unknownPartnerhooksVariablesAreWarnedAboutByNameWithTheNearestSetting() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Main.warnAboutUnknownSettings(
                Map.of(
                        "PARTNERHOOKS_PORTT",
                        "9",
                        "PARTNERHOOKS_PORT",
                        "8",
                        "PARTNERHOOKS_FROBNICATE",
                        "1",
                        "PARTNERHOOKS_JAVA_OPTS",
                        "-Xmx1g",
                        "HOME",
                        "/root"),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out)
                .contains("PARTNERHOOKS_PORTT is not a setting and is ignored (did you mean PARTNERHOOKS_PORT?)")
                .contains("PARTNERHOOKS_FROBNICATE is not a setting")
                .doesNotContain("FROBNICATE is not a setting and is ignored (did")
                .doesNotContain("PARTNERHOOKS_PORT is")
                .doesNotContain("JAVA_OPTS")
                .doesNotContain("HOME");
        assertThat(Main.knownSettings())
                .contains("PARTNERHOOKS_BIND_ADDRESS", "PARTNERHOOKS_METRICS_TOKEN", "PARTNERHOOKS_PORT");
    }

    @Test
    void aFailureIsNamedByItsRootCause() {
        var e = new IllegalStateException(
                "Failed to start Javalin",
                new IOException("Failed to bind to 0.0.0.0:8080", new BindException("Address already in use")));
        assertThat(Main.rootMessage(e)).isEqualTo("Failed to start Javalin (Address already in use)");
    }
}

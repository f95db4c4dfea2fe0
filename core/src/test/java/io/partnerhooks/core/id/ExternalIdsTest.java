package io.partnerhooks.core.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Workspace and channel ids: chosen by the platform, no prefix, one shape. */
class ExternalIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"ws_1", "a", "0", "ch-9.x:y_z", "Z9", "1:2"})
    void takesTheShapeThePlatformUses(String text) {
        assertThat(new WorkspaceId(text).value()).isEqualTo(text);
        assertThat(new ChannelId(text)).hasToString(text);
        assertThat(WorkspaceId.parse(text)).contains(new WorkspaceId(text));
        assertThat(ChannelId.parse(text)).contains(new ChannelId(text));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"_ws", "-1", ".a", "a b", "a/b", "ws_1\n", "é", "a%2F"})
    void refusesAnythingElse(String text) {
        assertThat(WorkspaceId.parse(text)).isEmpty();
        assertThat(ChannelId.parse(text)).isEmpty();
        assertThatThrownBy(() -> new WorkspaceId(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a workspace id");
        assertThatThrownBy(() -> new ChannelId(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a channel id");
    }

    @Test
    void refusesMoreThan128Characters() {
        String long129 = "a".repeat(129);
        assertThat(WorkspaceId.parse("a".repeat(128))).isPresent();
        assertThat(WorkspaceId.parse(long129)).isEmpty();
        assertThat(ChannelId.parse(long129)).isEmpty();
    }
}

package io.partnerhooks.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class EventTypeFilterTest {

    @ParameterizedTest(name = "{0} matches {1}")
    @CsvSource({
        "*, workspace.quota.messaging.exhausted",
        "*, number.live",
        "number.live, number.live",
        "workspace.quota.messaging.exhausted, workspace.quota.messaging.exhausted",
        "workspace.*, workspace.created",
        "workspace.*, workspace.quota.messaging.exhausted",
        "workspace.quota.*, workspace.quota.messaging.exhausted",
        "workspace.quota.messaging.*, workspace.quota.messaging.exhausted"
    })
    void matches(String pattern, String type) {
        assertThat(EventTypeFilter.matches(pattern, type)).isTrue();
    }

    @ParameterizedTest(name = "{0} does not match {1}")
    @CsvSource({
        "number.live, number.live_test",
        "number.live, number.live.extra",
        "number.live, number",
        "workspace.quota, workspace.quota.messaging.exhausted",
        // The prefix ends at a dot: a longer first word is a different family.
        "workspace.*, workspaces.created",
        "workspace.*, workspace_x.created",
        "workspace.quota.*, workspace.quotas.low",
        "workspace.quota.*, workspace.number.live",
        // A prefix pattern covers what is under the prefix, not the prefix itself.
        "workspace.quota.*, workspace.quota",
        "number.*, workspace.number.live"
    })
    void doesNotMatch(String pattern, String type) {
        assertThat(EventTypeFilter.matches(pattern, type)).isFalse();
    }

    @Test
    void matchingIsCaseSensitive() {
        assertThat(EventTypeFilter.matches("number.live", "Number.Live")).isFalse();
        assertThat(EventTypeFilter.matches("number.*", "NUMBER.live")).isFalse();
    }

    @Test
    void matchesAnyWhenOnePatternMatches() {
        List<String> patterns = List.of("number.live", "workspace.quota.*");

        assertThat(EventTypeFilter.matchesAny(patterns, "number.live")).isTrue();
        assertThat(EventTypeFilter.matchesAny(patterns, "workspace.quota.messaging.exhausted"))
                .isTrue();
        assertThat(EventTypeFilter.matchesAny(patterns, "workspace.created")).isFalse();
    }

    @Test
    void noPatternsMatchNothing() {
        assertThat(EventTypeFilter.matchesAny(List.of(), "number.live")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "number.live",
                "workspace.quota.messaging.exhausted",
                "a.b",
                "token_rotation.done",
                "v2.meta_callback.x9"
            })
    void validTypes(String type) {
        assertThat(EventTypeFilter.checkType(type)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    void emptyTypesAreRefused(String type) {
        assertThat(EventTypeFilter.checkType(type)).contains("must not be empty");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "number",
                "Number.live",
                "number.Live",
                "number..live",
                ".number.live",
                "number.live.",
                "1number.live",
                "number.1live",
                "number.*",
                "*",
                "number live",
                "number-live.x",
                "number.live ",
                "nümber.live",
                "_x.y"
            })
    void malformedTypesAreRefused(String type) {
        assertThat(EventTypeFilter.checkType(type))
                .hasValueSatisfying(msg -> assertThat(msg).contains("dot-separated"));
    }

    @Test
    void typesAreLimitedTo128Characters() {
        String longest = "a." + "b".repeat(EventTypeFilter.MAX_LENGTH - 2);

        assertThat(longest).hasSize(128);
        assertThat(EventTypeFilter.checkType(longest)).isEmpty();
        assertThat(EventTypeFilter.checkType(longest + "c")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"*", "number.live", "workspace.*", "workspace.quota.*", "workspace.quota.messaging.exhausted"})
    void validPatterns(String pattern) {
        assertThat(EventTypeFilter.checkPattern(pattern)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    void emptyPatternsAreRefused(String pattern) {
        assertThat(EventTypeFilter.checkPattern(pattern)).contains("must not be empty");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "**",
                ".*",
                "*.live",
                "workspace*",
                "workspace.*.quota",
                "workspace.**",
                "workspace.",
                "Workspace.*",
                "workspace..quota",
                "workspace.quota.*.*",
                " workspace.*",
                "workspace.?",
                "workspace"
            })
    void malformedPatternsAreRefused(String pattern) {
        assertThat(EventTypeFilter.checkPattern(pattern))
                .hasValueSatisfying(msg -> assertThat(msg).contains(".*"));
    }

    @Test
    void patternsAreLimitedTo128Characters() {
        String longest = "a." + "b".repeat(EventTypeFilter.MAX_LENGTH - 4) + ".*";

        assertThat(longest).hasSize(128);
        assertThat(EventTypeFilter.checkPattern(longest)).isEmpty();
        assertThat(EventTypeFilter.checkPattern("a" + longest)).isPresent();
    }
}

package io.partnerhooks.core.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.core.channel.ChannelLifecycle.Result;
import io.partnerhooks.core.channel.ChannelLifecycle.State;
import org.junit.jupiter.api.Test;

class ChannelLifecycleTest {
    static State walk(String... steps) {
        State s = State.initial();
        for (String step : steps) {
            Result r = ChannelLifecycle.apply(s, step);
            assertThat(r).as(step).isInstanceOf(Result.Moved.class);
            s = ((Result.Moved) r).next();
        }
        return s;
    }

    @Test
    void theHappyPathEmitsOneEventPerStep() {
        State s = State.initial();
        for (String step : new String[] {"submitted", "ready", "running", "live"}) {
            Result r = ChannelLifecycle.apply(s, step);
            assertThat(((Result.Moved) r).eventType()).isEqualTo("channel." + step);
            s = ((Result.Moved) r).next();
        }
        assertThat(s.status()).isEqualTo("live");
    }

    @Test
    void repeatingTheCurrentStateIsANoOp() {
        State live = walk(
                "submitted",
                "ready",
                "running",
                "live",
                "permission_granted",
                "billing_started",
                "template_messaging_enabled");
        for (String step : new String[] {
            "live", "permission_granted", "billing_started", "template_messaging_enabled", "migrated_to_cloud_api"
        }) {
            assertThat(ChannelLifecycle.apply(live, step)).as(step).isInstanceOf(Result.NoOp.class);
        }
    }

    @Test
    void impossibleMovesAreRefusedWithWhatIsAllowed() {
        Result skip = ChannelLifecycle.apply(State.initial(), "live");
        assertThat(skip).isInstanceOf(Result.Refused.class);
        assertThat(((Result.Refused) skip).why()).contains("created").contains("live");
        assertThat(((Result.Refused) skip).allowed()).contains("submitted").doesNotContain("live", "ready");
        State live = walk("submitted", "ready", "running", "live");
        assertThat(ChannelLifecycle.apply(live, "submitted")).isInstanceOf(Result.Refused.class);
        assertThat(ChannelLifecycle.apply(State.initial(), "template_messaging_enabled"))
                .isInstanceOf(Result.Refused.class);
        assertThat(ChannelLifecycle.apply(State.initial(), "permission_revoked"))
                .isInstanceOf(Result.Refused.class);
        assertThat(ChannelLifecycle.apply(State.initial(), "cancellation_withdrawn"))
                .isInstanceOf(Result.Refused.class);
        assertThat(ChannelLifecycle.apply(State.initial(), "teleported")).isInstanceOf(Result.Refused.class);
    }

    @Test
    void cancellationIsRequestedThenWithdrawnOrCompletedAndCompletionIsFinal() {
        State requested = walk("submitted", "cancellation_requested");
        assertThat(requested.cancellation()).isEqualTo("requested");
        State withdrawn = ((Result.Moved) ChannelLifecycle.apply(requested, "cancellation_withdrawn")).next();
        assertThat(withdrawn.cancellation()).isEqualTo("withdrawn");
        State again = ((Result.Moved) ChannelLifecycle.apply(withdrawn, "cancellation_requested")).next();
        Result done = ChannelLifecycle.apply(again, "cancellation_completed");
        assertThat(((Result.Moved) done).eventType()).isEqualTo("channel.cancellation.completed");
        State completed = ((Result.Moved) done).next();
        assertThat(ChannelLifecycle.apply(completed, "ready")).isInstanceOf(Result.Refused.class);
        assertThat(ChannelLifecycle.allowed(completed)).isEmpty();
    }

    @Test
    void permissionTogglesAndHostingMigratesWithFromAndTo() {
        State granted = walk("permission_granted");
        Result revoked = ChannelLifecycle.apply(granted, "permission_revoked");
        assertThat(((Result.Moved) revoked).eventType()).isEqualTo("channel.permission.revoked");
        Result migrated = ChannelLifecycle.apply(State.initial(), "migrated_to_on_premise");
        assertThat(((Result.Moved) migrated).eventType()).isEqualTo("channel.hosting.migrated");
        assertThat(((Result.Moved) migrated).extra())
                .containsEntry("from", "cloud_api")
                .containsEntry("to", "on_premise");
    }
}

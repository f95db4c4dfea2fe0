package io.partnerhooks.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.partnerhooks.core.port.RetentionStore;
import io.partnerhooks.core.port.RetentionStore.Removed;
import io.partnerhooks.core.testing.MutableClock;
import io.partnerhooks.core.testing.TestData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retention: batches until a short one, a pause between batches, and Meta's relay keys kept at least seven days. */
class ApplyRetentionTest {
    private final MutableClock clock = new MutableClock(TestData.T0);
    private final List<String> calls = new ArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();
    private final List<Removed> batches = new ArrayList<>();

    /** A retention store whose batches a test scripts (what the database would remove), recording each call. */
    private final class Scripted implements RetentionStore {
        final Deque<Removed> events = new ArrayDeque<>();
        final Deque<Integer> callbacks = new ArrayDeque<>();
        final Deque<Integer> relayed = new ArrayDeque<>();

        @Override
        public Removed removeBefore(Instant cutoff, int maxEvents) {
            calls.add("events<" + cutoff + " max " + maxEvents);
            return events.isEmpty() ? new Removed(0, 0, 0) : events.poll();
        }

        @Override
        public int removeMetaCallbacksBefore(Instant cutoff, int max) {
            calls.add("callbacks<" + cutoff);
            return callbacks.isEmpty() ? 0 : callbacks.poll();
        }

        @Override
        public int removeMetaRelayedBefore(Instant cutoff, int max) {
            calls.add("relayed<" + cutoff);
            return relayed.isEmpty() ? 0 : relayed.poll();
        }
    }

    private ApplyRetention retention(Scripted store, Duration keep, ApplyRetention.Pause pause) {
        return new ApplyRetention(store, clock, keep, 2, Duration.ofMillis(200), pause, batches::add);
    }

    @Test
    void fullBatchesGoOnWithAPauseAndAShortOneEndsTheRun() {
        Scripted store = new Scripted();
        store.events.addAll(List.of(new Removed(2, 4, 9), new Removed(1, 2, 3)));
        store.callbacks.addAll(List.of(2, 2));
        store.relayed.add(1);

        ApplyRetention.Totals totals =
                retention(store, Duration.ofDays(3), pauses::add).runOnce();

        Instant cutoff = TestData.T0.minus(Duration.ofDays(3));
        assertThat(totals).isEqualTo(new ApplyRetention.Totals(cutoff, 3, 6, 12, 5, 4, 1));
        // the relay keys go only once older than Meta's seven days of redelivery
        assertThat(calls)
                .containsExactly(
                        "events<" + cutoff + " max 2",
                        "events<" + cutoff + " max 2",
                        "callbacks<" + cutoff,
                        "callbacks<" + cutoff,
                        "callbacks<" + cutoff,
                        "relayed<" + TestData.T0.minus(ApplyRetention.META_REDELIVERY));
        assertThat(pauses).containsOnly(Duration.ofMillis(200)).hasSize(3);
        assertThat(batches).hasSize(5);
    }

    @Test
    void nothingOldMeansNoBatchAndNoPause() {
        ApplyRetention.Totals totals =
                retention(new Scripted(), Duration.ofDays(30), pauses::add).runOnce();
        assertThat(totals.batches()).isZero();
        assertThat(totals.events()).isZero();
        assertThat(pauses).isEmpty();
        assertThat(calls).contains("relayed<" + TestData.T0.minus(Duration.ofDays(30)));
    }

    @Test
    void anInterruptedPauseStopsTheRunEarly() {
        Scripted store = new Scripted();
        store.events.addAll(List.of(new Removed(2, 2, 2), new Removed(2, 2, 2)));
        ApplyRetention.Totals totals = retention(store, Duration.ofDays(3), d -> {
                    throw new InterruptedException();
                })
                .runOnce();
        assertThat(totals.events()).isEqualTo(2);
        assertThat(calls).hasSize(1);
        assertThat(Thread.interrupted()).isTrue();
        assertThatThrownBy(() -> retention(store, Duration.ZERO, pauses::add))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package io.partnerhooks.core.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdGeneratorTest {

    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final Instant START = Instant.parse("2024-11-20T09:30:00.123Z");

    /** A clock that stands still until the test moves it. */
    private static final class ManualClock extends Clock {
        private Instant now;

        ManualClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** All-ones words for the first id, all-zero words after: the worst case for ordering by time. */
    private static final class ExtremeRandom implements RandomGenerator {
        private int calls;

        @Override
        public long nextLong() {
            return calls++ < 2 ? -1L : 0L;
        }
    }

    private static long decodeTime(String body) {
        long millis = 0;
        for (int i = 0; i < 10; i++) {
            millis = millis * 32 + CROCKFORD.indexOf(body.charAt(i));
        }
        return millis;
    }

    @ParameterizedTest
    @ValueSource(strings = {Ids.EVENT, Ids.PARTNER, Ids.ENDPOINT, Ids.DELIVERY, Ids.ATTEMPT})
    void idsStartWithThePrefixFollowedBy26CrockfordCharacters(String prefix) {
        IdGenerator ids = new IdGenerator(Clock.fixed(START, ZoneOffset.UTC), new SplittableRandom(1));

        String id = ids.next(prefix);

        assertThat(id).startsWith(prefix).hasSize(prefix.length() + 26);
        assertThat(id.substring(prefix.length())).matches("[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(Ids.looksLike(id, prefix)).isTrue();
    }

    @Test
    void generatedIdsAreAcceptedByTheTypedIdRecords() {
        IdGenerator ids = new IdGenerator(Clock.fixed(START, ZoneOffset.UTC), new SplittableRandom(2));

        assertThat(new EventId(ids.next(Ids.EVENT)).value()).startsWith("evt_");
        assertThat(new PartnerId(ids.next(Ids.PARTNER)).value()).startsWith("ptn_");
        assertThat(new EndpointId(ids.next(Ids.ENDPOINT)).value()).startsWith("ep_");
        assertThat(new DeliveryId(ids.next(Ids.DELIVERY)).value()).startsWith("dlv_");
        assertThat(new AttemptId(ids.next(Ids.ATTEMPT)).value()).startsWith("att_");
    }

    @Test
    void theFirstTenCharactersAreTheClockMillis() {
        IdGenerator ids = new IdGenerator(Clock.fixed(START, ZoneOffset.UTC), new SplittableRandom(3));

        String body = ids.next("evt_").substring(4);

        assertThat(decodeTime(body)).isEqualTo(START.toEpochMilli());
    }

    @Test
    void theTimePartIsBigEndianBase32() {
        IdGenerator ids = new IdGenerator(
                Clock.fixed(Instant.ofEpochMilli(32 * 32 + 1), ZoneOffset.UTC), new SplittableRandom(4));

        assertThat(ids.next("x_").substring(2, 12)).isEqualTo("0000000101");
    }

    @Test
    void idsMadeLaterSortAfterEarlierOnes() {
        ManualClock clock = new ManualClock(START);
        IdGenerator ids = new IdGenerator(clock, new SplittableRandom(5));
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            made.add(ids.next("evt_"));
            clock.advance(Duration.ofMillis(1));
        }

        assertThat(made).isSorted();
    }

    @Test
    void timeWinsOverRandomnessEvenAtTheExtremes() {
        ManualClock clock = new ManualClock(START);
        // The first id gets the largest random part, the next one (1 ms later) the smallest.
        IdGenerator ids = new IdGenerator(clock, new ExtremeRandom());

        String earlier = ids.next("evt_");
        clock.advance(Duration.ofMillis(1));
        String later = ids.next("evt_");

        assertThat(later.substring(14)).isLessThan(earlier.substring(14));
        assertThat(later).isGreaterThan(earlier);
    }

    @Test
    void largeClockStepsKeepTheOrder() {
        ManualClock clock = new ManualClock(Instant.EPOCH);
        IdGenerator ids = new IdGenerator(clock, new SplittableRandom(6));
        List<String> made = new ArrayList<>();
        for (Duration step : List.of(
                Duration.ZERO,
                Duration.ofMillis(31),
                Duration.ofSeconds(1),
                Duration.ofDays(1),
                Duration.ofDays(365 * 30),
                Duration.ofDays(365 * 200))) {
            clock.advance(step);
            made.add(ids.next("evt_"));
        }

        assertThat(made).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void idsInTheSameMillisecondAreDistinct() {
        IdGenerator ids = new IdGenerator(Clock.fixed(START, ZoneOffset.UTC), new SplittableRandom(7));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            seen.add(ids.next("evt_"));
        }

        assertThat(seen).hasSize(50_000);
    }

    @Test
    void theSameClockAndSeedGiveTheSameIds() {
        IdGenerator a = new IdGenerator(Clock.fixed(START, ZoneOffset.UTC), new SplittableRandom(8));
        IdGenerator b = new IdGenerator(Clock.fixed(START, ZoneOffset.UTC), new SplittableRandom(8));

        assertThat(List.of(a.next("evt_"), a.next("evt_"))).isEqualTo(List.of(b.next("evt_"), b.next("evt_")));
    }

    @Test
    void theTimePrefixBoundsTheIdsOfAMillisecond() {
        long ms = START.toEpochMilli();
        String made = new IdGenerator(Clock.fixed(START, ZoneOffset.UTC), new SplittableRandom(1)).next(Ids.EVENT);
        assertThat(made).startsWith(IdGenerator.timePrefix(Ids.EVENT, ms));
        assertThat(made.compareTo(IdGenerator.timePrefix(Ids.EVENT, ms))).isPositive();
        assertThat(made.compareTo(IdGenerator.timePrefix(Ids.EVENT, ms + 1))).isNegative();
    }
}

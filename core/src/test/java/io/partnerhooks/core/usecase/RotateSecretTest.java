package io.partnerhooks.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.testing.TestData;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A rotation: a new secret, the old one signing beside it for the overlap, then alone no more. */
class RotateSecretTest {
    private final TestData t = new TestData();
    private final RotateSecret rotate = new RotateSecret(t.store.endpoints(), t.clock, t.random);
    private final Partner acme = t.partner("acme");
    private final Endpoint e = t.endpoint(acme, "*");

    @Test
    void theOldSecretKeepsSigningForTheOverlapAndThenStops() {
        Endpoint after = rotate.rotate(acme.id(), e.id(), 2);
        assertThat(after.secret()).startsWith("whsec_").isNotEqualTo(e.secret());
        assertThat(after.previousSecret()).isEqualTo(e.secret());
        assertThat(after.previousSecretExpiresAt()).isEqualTo(TestData.T0.plus(Duration.ofHours(2)));
        Endpoint stored = t.store.endpoint(e);
        assertThat(stored.secret()).isEqualTo(after.secret());
        assertThat(stored.signingSecrets(TestData.T0.plus(Duration.ofMinutes(119))))
                .containsExactly(after.secret(), e.secret());
        assertThat(stored.signingSecrets(TestData.T0.plus(Duration.ofHours(2)))).containsExactly(after.secret());
    }

    @Test
    void theOverlapDefaultsToADayAndZeroDropsTheOldSecretAtOnce() {
        assertThat(rotate.rotate(acme.id(), e.id(), null).previousSecretExpiresAt())
                .isEqualTo(TestData.T0.plus(Duration.ofHours(RotateSecret.DEFAULT_OVERLAP_HOURS)));
        Endpoint now = rotate.rotate(acme.id(), e.id(), 0);
        assertThat(now.previousSecret()).isNull();
        assertThat(t.store.endpoint(e).signingSecrets(TestData.T0)).containsExactly(now.secret());
    }

    @Test
    void aBadOverlapOrAnotherPartnersEndpointChangesNothing() {
        assertThatThrownBy(() -> rotate.rotate(acme.id(), e.id(), -1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> rotate.rotate(acme.id(), e.id(), RotateSecret.MAX_OVERLAP_HOURS + 1))
                .isInstanceOf(InvalidInputException.class);
        Partner other = t.partner("other");
        assertThatThrownBy(() -> rotate.rotate(other.id(), e.id(), 1)).isInstanceOf(NotFoundException.class);
        assertThat(t.store.endpoint(e).secret()).isEqualTo(e.secret());
    }
}

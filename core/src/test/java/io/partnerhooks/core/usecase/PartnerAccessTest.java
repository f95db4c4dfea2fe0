package io.partnerhooks.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.partnerhooks.core.domain.ApiKey;
import io.partnerhooks.core.domain.KeyHolder;
import io.partnerhooks.core.domain.PortalLink;
import io.partnerhooks.core.domain.Tokens;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.testing.TestData;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How partners get in: creating one with its first key, its API keys, and one-time dashboard links. */
class PartnerAccessTest {
    private final TestData t = new TestData();
    private final CreatePartner create = new CreatePartner(t.store.partners(), t.ids, t.clock, t.random);
    private final ManageApiKeys keys = new ManageApiKeys(t.store.partners(), t.ids, t.clock, t.random);
    private final PortalLinks links = new PortalLinks(t.store.portalLinks(), t.store.partners(), t.clock, t.random);

    @Test
    void aNewPartnersKeyIsShownOnceAndStoredOnlyAsItsHash() {
        CreatePartner.Created c = create.create("  Acme  ");
        assertThat(c.partner().name()).isEqualTo("Acme");
        assertThat(c.apiKey()).startsWith(Tokens.API_KEY_PREFIX);
        ApiKey stored = t.store.partners().keys(c.partner().id(), TestData.T0).get(0);
        assertThat(t.store.partners().hashOf(stored.id()))
                .isEqualTo(Tokens.hash(c.apiKey()))
                .isNotEqualTo(c.apiKey());
        assertThat(keys.authenticate(c.apiKey()).map(KeyHolder::partner)).contains(c.partner());
        assertThat(keys.authenticate(c.apiKey() + "x")).isEmpty();
        assertThat(keys.authenticate("")).isEmpty();
        assertThatThrownBy(() -> create.create(" ")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> create.create("n".repeat(CreatePartner.MAX_NAME + 1)))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aRevokedKeyStopsAtOnceAndTheOthersKeepWorking() {
        CreatePartner.Created c = create.create("acme");
        ManageApiKeys.Issued second = keys.create(c.partner().id());
        assertThat(keys.list(c.partner().id())).hasSize(2);
        ApiKey first = keys.authenticate(c.apiKey()).orElseThrow().key();

        assertThat(keys.revoke(c.partner().id(), first.id().value()).id()).isEqualTo(first.id());
        assertThat(keys.authenticate(c.apiKey())).isEmpty();
        assertThat(keys.authenticate(second.secret())).isPresent();
        assertThat(keys.list(c.partner().id()))
                .extracting(ApiKey::id)
                .containsExactly(second.key().id());
        assertThatThrownBy(() -> keys.revoke(c.partner().id(), first.id().value()))
                .isInstanceOf(NotFoundException.class);
        // another partner cannot revoke it
        CreatePartner.Created other = create.create("other");
        assertThatThrownBy(() ->
                        keys.revoke(other.partner().id(), second.key().id().value()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> keys.create(new PartnerId("ptn_nosuch"))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aRolledKeyKeepsWorkingForItsOverlapAndAnEarlierExpiryStands() {
        CreatePartner.Created c = create.create("acme");
        ApiKey current = keys.authenticate(c.apiKey()).orElseThrow().key();
        ManageApiKeys.Rolled r = keys.roll(c.partner().id(), current.id(), 3600L);
        assertThat(r.currentExpiresAt()).isEqualTo(TestData.T0.plusSeconds(3600));
        assertThat(keys.authenticate(r.fresh().secret())).isPresent();
        t.clock.advance(Duration.ofMinutes(59));
        assertThat(keys.live(c.partner().id(), current.id())).isTrue();
        // rolling again with a longer overlap does not extend the expiry already set
        assertThat(keys.roll(c.partner().id(), current.id(), 86_400L).currentExpiresAt())
                .isEqualTo(TestData.T0.plusSeconds(3600));
        t.clock.advance(Duration.ofMinutes(1));
        assertThat(keys.live(c.partner().id(), current.id())).isFalse();
        assertThat(keys.authenticate(c.apiKey())).isEmpty();
        assertThatThrownBy(() -> keys.roll(c.partner().id(), r.fresh().key().id(), -1L))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aKeysLastUseIsWrittenAtMostOnceAMinute() {
        CreatePartner.Created c = create.create("acme");
        assertThat(keys.authenticate(c.apiKey()).orElseThrow().key().lastUsedAt())
                .isNull();
        assertThat(keys.list(c.partner().id()).get(0).lastUsedAt()).isEqualTo(TestData.T0);
        t.clock.advance(Duration.ofSeconds(30));
        keys.authenticate(c.apiKey());
        assertThat(keys.list(c.partner().id()).get(0).lastUsedAt()).isEqualTo(TestData.T0);
        t.clock.advance(Duration.ofSeconds(31));
        keys.authenticate(c.apiKey());
        assertThat(keys.list(c.partner().id()).get(0).lastUsedAt()).isEqualTo(TestData.T0.plusSeconds(61));
    }

    @Test
    void aPortalLinkOpensOnceBeforeItExpires() {
        CreatePartner.Created c = create.create("acme");
        PortalLinks.Issued link = links.create(c.partner().id(), 600, true);
        assertThat(link.expiresAt()).isEqualTo(TestData.T0.plusSeconds(600));
        assertThat(t.store.portalLinks().holds(Tokens.hash(link.token()))).isTrue();
        assertThat(t.store.portalLinks().holds(link.token())).isFalse();
        assertThat(links.check(link.token())).isNull();

        PortalLink.Redemption r = links.redeem(link.token());
        assertThat(r.link()).isEqualTo(new PortalLink(c.partner().id(), true));
        assertThat(links.redeem(link.token()).refusal()).isEqualTo(PortalLink.Refusal.USED);

        PortalLinks.Issued late = links.create(c.partner().id(), 60, false);
        t.clock.advance(Duration.ofSeconds(60));
        assertThat(links.check(late.token())).isEqualTo(PortalLink.Refusal.EXPIRED);
        assertThat(links.redeem(late.token()).refusal()).isEqualTo(PortalLink.Refusal.EXPIRED);
        assertThat(links.redeem("short").refusal()).isEqualTo(PortalLink.Refusal.UNKNOWN);
        assertThat(links.check("x".repeat(43))).isEqualTo(PortalLink.Refusal.UNKNOWN);
        assertThatThrownBy(() -> links.create(c.partner().id(), 59, false)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> links.create(new PartnerId("ptn_nosuch"), 600, false))
                .isInstanceOf(NotFoundException.class);
    }
}

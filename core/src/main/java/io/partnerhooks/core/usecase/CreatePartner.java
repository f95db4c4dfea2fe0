package io.partnerhooks.core.usecase;

import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.domain.Tokens;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.PartnerStore;
import java.time.Clock;
import java.util.random.RandomGenerator;

public final class CreatePartner {
    public static final int MAX_NAME = 200;

    /** The partner and its API key; the key is only ever available here. */
    public record Created(Partner partner, String apiKey) {}

    private final PartnerStore partners;
    private final IdGenerator ids;
    private final Clock clock;
    private final RandomGenerator random;

    public CreatePartner(PartnerStore partners, IdGenerator ids, Clock clock, RandomGenerator random) {
        this.partners = partners;
        this.ids = ids;
        this.clock = clock;
        this.random = random;
    }

    public Created create(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("name", "must not be empty");
        }
        if (name.length() > MAX_NAME) {
            throw new InvalidInputException("name", "must be at most " + MAX_NAME + " characters");
        }
        Partner p = new Partner(new PartnerId(ids.next(Ids.PARTNER)), name.strip(), Times.millis(clock.instant()));
        ManageApiKeys.Issued key = ManageApiKeys.newKey(p.id(), ids, p.createdAt(), random);
        partners.insert(p, key.key(), Tokens.hash(key.secret()));
        return new Created(p, key.secret());
    }
}

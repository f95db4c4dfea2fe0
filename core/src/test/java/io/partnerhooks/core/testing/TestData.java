package io.partnerhooks.core.testing;

import io.partnerhooks.core.domain.ApiKey;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.id.ApiKeyId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/** A store, a clock and ids for one test, and the partners and endpoints tests start from. */
public final class TestData {
    public static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    public static final String SECRET = "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0";

    public final InMemoryStore store = new InMemoryStore();
    public final MutableClock clock = new MutableClock(T0);
    public final SplittableRandom random = new SplittableRandom(7);
    public final IdGenerator ids = new IdGenerator(clock, random);

    public Partner partner(String name) {
        Partner p = new Partner(new PartnerId(ids.next(Ids.PARTNER)), name, T0);
        store.partners()
                .insert(
                        p,
                        new ApiKey(new ApiKeyId(ids.next(Ids.API_KEY)), p.id(), "phk_test", T0, null, null),
                        "hash-" + p.id().value());
        return p;
    }

    /** An enabled endpoint with default limits subscribed to {@code types}, stored. */
    public Endpoint endpoint(Partner p, String... types) {
        return store(new Endpoint(
                new EndpointId(ids.next(Ids.ENDPOINT)),
                p.id(),
                "https://example.com/" + p.name(),
                List.of(types),
                null,
                true,
                SECRET,
                T0,
                T0));
    }

    /** A stored endpoint like {@link #endpoint} with these limits and profile (null: defaults) and filter. */
    public Endpoint endpoint(
            Partner p, Endpoint.Limits limits, Endpoint.Profile profile, SubjectFilter filter, String... types) {
        return store(new Endpoint(
                new EndpointId(ids.next(Ids.ENDPOINT)),
                p.id(),
                "https://example.com/" + p.name(),
                List.of(types),
                null,
                true,
                SECRET,
                T0,
                T0,
                limits,
                null,
                null,
                null,
                profile,
                filter));
    }

    private Endpoint store(Endpoint e) {
        store.endpoints().insert(e);
        return e;
    }
}

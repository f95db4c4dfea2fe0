package io.partnerhooks.core.usecase;

import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.PartnerStore;
import java.util.List;
import java.util.Optional;

/** Partners as the operator's dashboard reads them. */
public final class ReadPartners {
    private final PartnerStore partners;

    public ReadPartners(PartnerStore partners) {
        this.partners = partners;
    }

    public Optional<Partner> find(PartnerId id) {
        return partners.find(id);
    }

    /** Every partner by id, at most {@code limit}. */
    public List<Partner> list(int limit) {
        return partners.list(limit);
    }
}

package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

/** Who made an audited change: the operator, or a partner (then named) with its API key. */
public record AuditActor(
        String type, @JsonInclude(Include.NON_NULL) String partnerId) {}

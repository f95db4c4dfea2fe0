package io.partnerhooks.core.port;

import io.partnerhooks.core.domain.AuditEntry;
import io.partnerhooks.core.domain.AuditFilter;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.id.PartnerId;

/** The audit log: appended to, never changed; read newest first. */
public interface AuditStore {
    void append(AuditEntry entry);

    /** The partner's own entries, newest first; {@code after} is a previous page's next_cursor. */
    Page<AuditEntry> list(PartnerId partner, AuditFilter filter, int limit, String after);

    /** Every partner's entries and the operator's own (for the operator). */
    Page<AuditEntry> listAll(AuditFilter filter, int limit, String after);
}

package io.partnerhooks.core.testing;

import io.partnerhooks.core.domain.AuditEntry;
import io.partnerhooks.core.domain.AuditFilter;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.AuditStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** The audit log: appended to; read newest first (ids sort by time), a page's cursor is its last id. */
public final class InMemoryAudit implements AuditStore {
    private final List<AuditEntry> entries = new ArrayList<>();

    @Override
    public synchronized void append(AuditEntry entry) {
        entries.add(entry);
    }

    @Override
    public synchronized Page<AuditEntry> list(PartnerId partner, AuditFilter filter, int limit, String after) {
        return page(e -> partner.value().equals(e.partnerId()), filter, limit, after);
    }

    @Override
    public synchronized Page<AuditEntry> listAll(AuditFilter filter, int limit, String after) {
        return page(e -> true, filter, limit, after);
    }

    private Page<AuditEntry> page(Predicate<AuditEntry> scope, AuditFilter f, int limit, String after) {
        List<AuditEntry> match = entries.stream()
                .filter(scope)
                .filter(e -> f.action() == null || f.action().equals(e.action()))
                .filter(e -> f.since() == null || !e.createdAt().isBefore(f.since()))
                .filter(e -> f.until() == null || e.createdAt().isBefore(f.until()))
                .filter(e -> after == null || e.id().compareTo(after) < 0)
                .sorted(Comparator.comparing(AuditEntry::id).reversed())
                .toList();
        List<AuditEntry> items = match.subList(0, Math.min(limit, match.size()));
        return new Page<>(
                List.copyOf(items),
                match.size() > limit ? items.get(items.size() - 1).id() : null);
    }

    /** Everything appended, oldest first. */
    public synchronized List<AuditEntry> entries() {
        return List.copyOf(entries);
    }
}

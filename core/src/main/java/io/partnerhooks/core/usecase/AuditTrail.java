package io.partnerhooks.core.usecase;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partnerhooks.core.audit.SecretMask;
import io.partnerhooks.core.domain.AuditEntry;
import io.partnerhooks.core.domain.AuditFilter;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.AuditStore;
import io.partnerhooks.core.port.Transactions;
import java.time.Clock;
import java.util.function.Function;

/**
 * Records every change made through the API, in the same transaction as the change: when the
 * change throws, neither it nor its row is kept; when the row cannot be written, the change is
 * rolled back too (fails closed: no unaudited change). Secrets are masked before anything is written.
 */
public final class AuditTrail {
    public static final String ID_PREFIX = "aud_";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Who made a change. */
    public record Actor(String type, String id) {
        public static Actor partner(PartnerId p) {
            return new Actor(AuditEntry.PARTNER, p.value());
        }

        public static final Actor OPERATOR = new Actor(AuditEntry.OPERATOR, null);
    }

    /** What the change says about itself while it runs: its target, owner, and state before and after. */
    public static final class Change {
        private String targetId;
        private String partnerId;
        private JsonNode before;
        private JsonNode after;
        private boolean nothingChanged;
        private String action;

        /** Names the action when only the change itself can tell (create or update of the same thing). */
        public Change action(String name) {
            this.action = name;
            return this;
        }

        public Change target(String id) {
            this.targetId = id;
            return this;
        }

        /** The partner the change concerns (defaults to the acting partner). */
        public Change owner(String partnerId) {
            this.partnerId = partnerId;
            return this;
        }

        public Change before(JsonNode state) {
            this.before = state;
            return this;
        }

        public Change after(JsonNode state) {
            this.after = state;
            return this;
        }

        /** The request was accepted but changed nothing (a repeat): no row is written. */
        public Change nothingChanged() {
            this.nothingChanged = true;
            return this;
        }
    }

    private final AuditStore store;
    private final Transactions transactions;
    private final IdGenerator ids;
    private final Clock clock;
    private final Runnable recorded;

    public AuditTrail(AuditStore store, Transactions transactions, IdGenerator ids, Clock clock, Runnable recorded) {
        this.store = store;
        this.transactions = transactions;
        this.ids = ids;
        this.clock = clock;
        this.recorded = recorded;
    }

    /**
     * Runs {@code work} and appends its audit row, all in one transaction. {@code work} fills in
     * the {@link Change} (target, before, after) as it learns them.
     */
    public <T> T record(Actor actor, String action, String targetType, Function<Change, T> work) {
        return transactions.inTransaction(() -> {
            Change c = new Change();
            T result = work.apply(c);
            // compared before masking: a change to a secret alone (a rotation within the same
            // millisecond) is still a change, though its masked states look alike
            if (c.nothingChanged || (c.before != null && c.before.equals(c.after))) {
                return result;
            }
            JsonNode before = SecretMask.mask(c.before);
            JsonNode after = SecretMask.mask(c.after);
            String owner =
                    c.partnerId != null ? c.partnerId : AuditEntry.PARTNER.equals(actor.type()) ? actor.id() : null;
            store.append(new AuditEntry(
                    ids.next(ID_PREFIX),
                    owner,
                    actor.type(),
                    actor.id(),
                    c.action != null ? c.action : action,
                    targetType,
                    c.targetId,
                    text(before),
                    text(after),
                    Times.millis(clock.instant())));
            transactions.afterCommit(recorded);
            return result;
        });
    }

    public Page<AuditEntry> list(PartnerId partner, AuditFilter filter, int limit, String after) {
        return store.list(partner, filter, limit, after);
    }

    public Page<AuditEntry> listAll(AuditFilter filter, int limit, String after) {
        return store.listAll(filter, limit, after);
    }

    private static String text(JsonNode n) {
        if (n == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

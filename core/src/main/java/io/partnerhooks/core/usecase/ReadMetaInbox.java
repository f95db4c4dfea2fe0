package io.partnerhooks.core.usecase;

import io.partnerhooks.core.domain.InboxCallback;
import io.partnerhooks.core.port.MetaInbox;
import java.util.List;

/** Meta's callbacks as the operator reads them back: those with something that found no channel. */
public final class ReadMetaInbox {
    private final MetaInbox inbox;

    public ReadMetaInbox(MetaInbox inbox) {
        this.inbox = inbox;
    }

    /** Newest first, at most {@code limit}, after the callback id {@code afterId} (null: from the newest). */
    public List<InboxCallback> unrouted(int limit, String afterId) {
        return inbox.unrouted(limit, afterId);
    }
}

package io.partnerhooks.server.ui;

import io.partnerhooks.core.id.ApiKeyId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.usecase.AuditTrail;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Dashboard sign-ins, kept in this process's memory: the cookie holds only a random session id,
 * never the API key or the operator token. A restart signs everyone out, and each node of a
 * cluster has its own sessions (sticky routing or signing in again) — acceptable for an admin
 * page. Sessions end after {@link #IDLE} without a request.
 */
final class UiSessions {
    static final Duration IDLE = Duration.ofHours(8);
    /** Beyond this many live sessions the oldest are dropped: memory stays bounded (fails closed: a sign-out). */
    static final int MAX_SESSIONS = 10_000;

    /** One sign-in. The partner is fixed for a partner key; an operator picks one (or none yet). */
    static final class Session {
        private final String id;
        private final String csrf;
        private final boolean operator;
        private volatile PartnerId partner;
        /** The API key a partner signed in with (null for the operator): revoking it ends the session. */
        private final ApiKeyId apiKey;

        private volatile String partnerName;
        private volatile Instant lastSeen;
        private volatile String flash;
        /** Opened by a read-only portal link: every page, no change. */
        private final boolean readOnly;

        Session(
                String id,
                String csrf,
                boolean operator,
                PartnerId partner,
                String partnerName,
                ApiKeyId apiKey,
                Instant now,
                boolean readOnly) {
            this.id = id;
            this.readOnly = readOnly;
            this.apiKey = apiKey;
            this.csrf = csrf;
            this.operator = operator;
            this.partner = partner;
            this.partnerName = partnerName;
            this.lastSeen = now;
        }

        String id() {
            return id;
        }

        boolean readOnly() {
            return readOnly;
        }

        String csrf() {
            return csrf;
        }

        boolean operator() {
            return operator;
        }

        /** Who the audit log names for a change made in this session: the partner, or the operator. */
        AuditTrail.Actor actor() {
            return operator ? AuditTrail.Actor.OPERATOR : AuditTrail.Actor.partner(partner);
        }

        PartnerId partner() {
            return partner;
        }

        ApiKeyId apiKey() {
            return apiKey;
        }

        String partnerName() {
            return partnerName;
        }

        void viewAs(PartnerId p, String name) {
            this.partner = p;
            this.partnerName = name;
        }

        /** A one-line message for the next page; a leading "!" marks an error. */
        void flash(String message) {
            this.flash = message;
        }

        String takeFlash() {
            String f = flash;
            flash = null;
            return f;
        }

        boolean csrfMatches(String presented) {
            return presented != null
                    && MessageDigest.isEqual(
                            csrf.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final RandomGenerator random;

    UiSessions(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    /** 256 random bits, URL-safe. */
    String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    Session open(boolean operator, PartnerId partner, String partnerName, ApiKeyId apiKey) {
        return open(operator, partner, partnerName, apiKey, false);
    }

    /** A partner's session opened by a portal link (no API key behind it; it ends when idle or signed out). */
    Session openPortal(PartnerId partner, String partnerName, boolean readOnly) {
        return open(false, partner, partnerName, null, readOnly);
    }

    private Session open(boolean operator, PartnerId partner, String partnerName, ApiKeyId apiKey, boolean readOnly) {
        Instant now = clock.instant();
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().removeIf(s -> s.lastSeen.plus(IDLE).isBefore(now));
            if (sessions.size() >= MAX_SESSIONS) {
                sessions.values().stream()
                        .min(Comparator.comparing(s -> s.lastSeen))
                        .ifPresent(oldest -> sessions.remove(oldest.id()));
            }
        }
        Session s = new Session(token(), token(), operator, partner, partnerName, apiKey, now, readOnly);
        sessions.put(s.id(), s);
        return s;
    }

    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        Instant now = clock.instant();
        if (s == null) {
            return Optional.empty();
        }
        if (s.lastSeen.plus(IDLE).isBefore(now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        s.lastSeen = now;
        return Optional.of(s);
    }

    void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }
}

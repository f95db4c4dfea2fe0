package io.partnerhooks.server.api;

import io.javalin.http.Context;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.Ids;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Query and path parameters that several route groups read the same way. */
final class Params {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 250;

    private Params() {}

    static int limit(Context ctx) {
        String raw = ctx.queryParam("limit");
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(raw);
            if (n < 1 || n > MAX_LIMIT) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("limit", "must be a whole number from 1 to " + MAX_LIMIT);
        }
    }

    static Instant time(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(name, "must be an RFC 3339 time such as 2026-11-22T12:00:00Z");
        }
    }

    static EventId eventId(Context ctx) {
        String raw = ctx.pathParam("id");
        if (!Ids.looksLike(raw, Ids.EVENT)) {
            throw new NotFoundException("id", "no event " + raw);
        }
        return new EventId(raw);
    }
}

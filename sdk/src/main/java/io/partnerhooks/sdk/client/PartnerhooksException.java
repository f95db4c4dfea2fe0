package io.partnerhooks.sdk.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An answer that was not a success, as the server described it ({@code application/problem+json},
 * RFC 9457). Catch the subclass for the case you handle: {@link InvalidInput} (400, with the fields
 * named in {@link #errors()}), {@link Unauthorized} (401/403), {@link NotFound} (404),
 * {@link Conflict} (409), {@link TooManyRequests} (429) and {@link Unavailable} (503), the last two
 * with the server's {@link #retryAfter()}. Anything else is this class itself.
 *
 * <p>A failure to reach the server at all is not one of these: it is an {@link java.io.UncheckedIOException}.
 */
public class PartnerhooksException extends RuntimeException {
    /** One offending field, e.g. {@code events[3].data.workspace_id} or {@code Authorization}. */
    public record FieldError(String field, String detail) {}

    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private final List<FieldError> errors;
    private final Duration retryAfter;
    private final Map<String, Object> problem;

    PartnerhooksException(int status, Map<String, Object> problem, Duration retryAfter) {
        super(message(status, problem));
        this.status = status;
        this.problem = Map.copyOf(withoutNulls(problem));
        this.type = Json.str(problem, "type");
        this.title = Json.str(problem, "title");
        this.detail = Json.str(problem, "detail");
        List<FieldError> fe = new ArrayList<>();
        for (Map<String, Object> e : Json.objects(problem, "errors")) {
            fe.add(new FieldError(Json.str(e, "field"), Json.str(e, "detail")));
        }
        this.errors = List.copyOf(fe);
        this.retryAfter = retryAfter;
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static String message(int status, Map<String, Object> p) {
        StringBuilder sb = new StringBuilder().append(status);
        String title = Json.str(p, "title");
        String detail = Json.str(p, "detail");
        if (title != null) {
            sb.append(' ').append(title);
        }
        if (detail != null) {
            sb.append(": ").append(detail);
        }
        for (Map<String, Object> e : Json.objects(p, "errors")) {
            sb.append(" [")
                    .append(Json.str(e, "field"))
                    .append(": ")
                    .append(Json.str(e, "detail"))
                    .append(']');
        }
        return sb.toString();
    }

    /** The exception for one answer; the subclass follows the status. */
    static PartnerhooksException of(int status, Map<String, Object> problem, Duration retryAfter) {
        return switch (status) {
            case 400, 413, 414, 415, 431 -> new InvalidInput(status, problem, retryAfter);
            case 401, 403 -> new Unauthorized(status, problem, retryAfter);
            case 404 -> new NotFound(status, problem, retryAfter);
            case 409 -> new Conflict(status, problem, retryAfter);
            case 429 -> new TooManyRequests(status, problem, retryAfter);
            case 503 -> new Unavailable(status, problem, retryAfter);
            default -> new PartnerhooksException(status, problem, retryAfter);
        };
    }

    public int status() {
        return status;
    }

    /** The problem type, e.g. {@code urn:partnerhooks:problem:invalid-input}; null when the answer had none. */
    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    /** Each offending field the server named; empty when it named none. */
    public List<FieldError> errors() {
        return errors;
    }

    /** The first field named, if any: what to point the user at. */
    public Optional<String> field() {
        return errors.isEmpty()
                ? Optional.empty()
                : Optional.ofNullable(errors.get(0).field());
    }

    /** The {@code Retry-After} the server sent (seconds form), if it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The whole problem document, for members this class has no accessor for (e.g. {@code allowed}). */
    public Map<String, Object> problem() {
        return problem;
    }

    /** 400 (and 413/414/415/431): the request was refused as it stands; {@link #errors()} names the fields. */
    public static final class InvalidInput extends PartnerhooksException {
        InvalidInput(int status, Map<String, Object> problem, Duration retryAfter) {
            super(status, problem, retryAfter);
        }
    }

    /** 401 or 403: the token or key is missing, wrong, revoked, or not allowed here. */
    public static final class Unauthorized extends PartnerhooksException {
        Unauthorized(int status, Map<String, Object> problem, Duration retryAfter) {
            super(status, problem, retryAfter);
        }
    }

    /** 404: no such id for this caller (another partner's ids are 404 too). */
    public static final class NotFound extends PartnerhooksException {
        NotFound(int status, Map<String, Object> problem, Duration retryAfter) {
            super(status, problem, retryAfter);
        }
    }

    /** 409: not possible in the current state (e.g. an impossible channel transition). */
    public static final class Conflict extends PartnerhooksException {
        Conflict(int status, Map<String, Object> problem, Duration retryAfter) {
            super(status, problem, retryAfter);
        }
    }

    /** 429: slow down; try again after {@link #retryAfter()} when present. */
    public static final class TooManyRequests extends PartnerhooksException {
        TooManyRequests(int status, Map<String, Object> problem, Duration retryAfter) {
            super(status, problem, retryAfter);
        }
    }

    /** 503: the server could not write (e.g. its database is unreachable); nothing was written. Safe to retry. */
    public static final class Unavailable extends PartnerhooksException {
        Unavailable(int status, Map<String, Object> problem, Duration retryAfter) {
            super(status, problem, retryAfter);
        }
    }
}

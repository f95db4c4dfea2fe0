package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import io.partnerhooks.core.error.ConflictException;
import io.partnerhooks.core.error.GoneException;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.usecase.RecordFacts;
import io.partnerhooks.core.usecase.Redeliver;
import io.partnerhooks.storage.jdbc.DataAccessException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error leaves as RFC 9457 {@code application/problem+json}; stack traces never do. */
public final class Problems {
    private static final Logger log = LoggerFactory.getLogger(Problems.class);
    public static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {}

    /** Raised by handlers for 401/403/409-style answers that are not input errors. */
    public static final class ProblemException extends RuntimeException {
        final int status;
        final String slug;
        final String field;

        public ProblemException(int status, String slug, String detail, String field) {
            super(detail);
            this.status = status;
            this.slug = slug;
            this.field = field;
        }
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "unauthorized", detail, "Authorization");
    }

    /**
     * @param allowedMethods the methods some route takes for a request path (for a 405's {@code Allow})
     * @param uiNotFound answers a 404 under {@code /ui} (the dashboard's own HTML page); null for JSON
     */
    public static void register(
            RoutesConfig routes, Function<String, Set<String>> allowedMethods, Consumer<Context> uiNotFound) {
        routes.exception(InvalidInputException.class, (e, ctx) -> {
            ObjectNode body = base(400, "invalid-input", "Invalid input", e.getMessage());
            ArrayNode errors = body.putArray("errors");
            for (InvalidInputException.FieldError fe : e.errors()) {
                errors.addObject().put("field", fe.field()).put("detail", fe.detail());
            }
            write(ctx, 400, body);
        });
        routes.exception(NotFoundException.class, (e, ctx) -> {
            ObjectNode body = base(404, "not-found", "Not found", e.getMessage());
            body.putArray("errors").addObject().put("field", e.field()).put("detail", e.getMessage());
            write(ctx, 404, body);
        });
        routes.exception(ConflictException.class, (e, ctx) -> {
            ObjectNode body = base(409, "conflict", "Conflict", e.getMessage());
            body.putArray("errors").addObject().put("field", e.field()).put("detail", e.getMessage());
            write(ctx, 409, body);
        });
        routes.exception(GoneException.class, (e, ctx) -> {
            ObjectNode body = base(410, "gone", "Gone", e.getMessage());
            body.putArray("errors").addObject().put("field", e.field()).put("detail", e.getMessage());
            body.put("oldest_cursor", e.oldest());
            write(ctx, 410, body);
        });
        routes.exception(ProblemException.class, (e, ctx) -> {
            ObjectNode body = base(e.status, e.slug, titleOf(e.status), e.getMessage());
            if (e.field != null) {
                body.putArray("errors").addObject().put("field", e.field).put("detail", e.getMessage());
            }
            if (e.status == 401) {
                ctx.header("WWW-Authenticate", "Bearer");
            }
            write(ctx, e.status, body);
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            if (status == 404
                    && e instanceof NotFoundResponse
                    && ctx.endpoints().matchedHttpEndpoint() == null) {
                noSuchRoute(ctx, uiNotFound);
                return;
            }
            String detail = status == 413 ? "request body is too large" : e.getMessage();
            ObjectNode body = base(status, slugOf(status), titleOf(status), detail);
            if (status == 413) {
                body.putArray("errors").addObject().put("field", "body").put("detail", detail);
            }
            write(ctx, status, body);
        });
        routes.exception(RecordFacts.RefusedTransition.class, (e, ctx) -> {
            ObjectNode body = base(409, "invalid-transition", "Conflict", e.getMessage());
            body.put("current_state", e.current());
            ArrayNode allowed = body.putArray("allowed");
            e.allowed().forEach(allowed::add);
            body.putArray("errors").addObject().put("field", "to").put("detail", e.getMessage());
            write(ctx, 409, body);
        });
        routes.exception(
                Redeliver.ConflictException.class,
                (e, ctx) -> write(ctx, 409, base(409, "conflict", "Conflict", e.getMessage())));
        routes.exception(DataAccessException.class, (e, ctx) -> {
            // Never a 2xx we cannot stand behind: nothing was committed, the caller should try again.
            log.error("database failure on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            ctx.header("Retry-After", "5");
            write(
                    ctx,
                    503,
                    base(503, "unavailable", "Service unavailable", "the database is not answering; try again"));
        });
        routes.exception(Exception.class, (e, ctx) -> {
            if (endedEarly(e)) {
                // The client went away mid-body: nothing to answer, nothing broken here. One line,
                // no stack, so a client that does this in a loop cannot fill the log.
                log.info(
                        "request body ended early on {} {} (the client closed the connection)",
                        ctx.method(),
                        ctx.path());
                ObjectNode body =
                        base(400, "incomplete-body", "Bad request", "the body ended before its Content-Length");
                body.putArray("errors")
                        .addObject()
                        .put("field", "body")
                        .put("detail", "ended before its Content-Length");
                write(ctx, 400, body);
                return;
            }
            log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            write(ctx, 500, base(500, "internal", "Internal error", "something went wrong on our side"));
        });
        routes.error(404, ctx -> {
            String type = ctx.res().getContentType();
            if (type == null || !(type.startsWith(CONTENT_TYPE) || type.startsWith("text/html"))) {
                noSuchRoute(ctx, uiNotFound);
            }
        });
        routes.error(405, ctx -> {
            Set<String> allowed = new TreeSet<>(allowedMethods.apply(ctx.path()));
            if (!allowed.isEmpty()) {
                ctx.header("Allow", String.join(", ", allowed));
            }
            write(
                    ctx,
                    405,
                    base(
                            405,
                            "method-not-allowed",
                            "Method not allowed",
                            ctx.method() + " is not supported on " + ctx.path()
                                    + (allowed.isEmpty() ? "" : "; it takes " + String.join(", ", allowed))));
        });
    }

    private static void noSuchRoute(Context ctx, Consumer<Context> uiNotFound) {
        if (uiNotFound != null && (ctx.path().equals("/ui") || ctx.path().startsWith("/ui/"))) {
            ctx.status(404);
            uiNotFound.accept(ctx);
            return;
        }
        write(
                ctx,
                404,
                base(
                        404,
                        "no-such-route",
                        "No such route",
                        "No such route: " + ctx.method() + " " + ctx.path()
                                + " (see /openapi.yaml for the routes there are)"));
    }

    /**
     * The client closed the connection before sending the body it announced. Only Jetty's own
     * EofException counts: an EOFException from a database driver is a failure of ours.
     */
    static boolean endedEarly(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof EofException) {
                return true;
            }
        }
        return false;
    }

    /** Before-handler: a body we are to parse must be JSON (or say nothing about its type). */
    public static void requireJsonBody(Context ctx) {
        String method = ctx.method().name();
        if (!method.equals("POST") && !method.equals("PUT") && !method.equals("PATCH")) {
            return;
        }
        if (ctx.path().equals("/ui") || ctx.path().startsWith("/ui/")) {
            return; // the dashboard's HTML forms post application/x-www-form-urlencoded
        }
        String type = ctx.header("Content-Type");
        if (type == null || type.isBlank()) {
            return;
        }
        if (ctx.path().startsWith("/api/")) {
            // Provider-compatible routes (CompatRoutes) take what those providers' clients send.
            return;
        }
        String mime = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mime.equals("application/json") && !mime.endsWith("+json")) {
            throw new ProblemException(
                    415,
                    "unsupported-media-type",
                    "Content-Type must be application/json, got " + mime,
                    "Content-Type");
        }
    }

    static ObjectNode base(int status, String slug, String title, String detail) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("type", "urn:partnerhooks:problem:" + slug);
        n.put("title", title);
        n.put("status", status);
        n.put("detail", detail);
        return n;
    }

    static void write(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType(CONTENT_TYPE).result(Json.bytes(body));
    }

    static String slugOf(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            case 414 -> "uri-too-long";
            case 431 -> "headers-too-large";
            case 503 -> "unavailable";
            default -> "http-" + status;
        };
    }

    static String titleOf(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 409 -> "Conflict";
            case 415 -> "Unsupported media type";
            case 413 -> "Payload too large";
            case 414 -> "URI too long";
            case 431 -> "Request headers too large";
            case 429 -> "Too many requests";
            case 500 -> "Internal error";
            case 410 -> "Gone";
            case 503 -> "Service unavailable";
            default -> {
                // the standard reason phrase, never a bare number
                String reason = HttpStatus.getMessage(status);
                yield reason == null || reason.equals(String.valueOf(status)) ? "Error " + status : reason;
            }
        };
    }
}

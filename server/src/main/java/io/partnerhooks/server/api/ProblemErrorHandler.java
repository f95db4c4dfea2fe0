package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers for requests the HTTP server refuses before any route sees them (a path with a bad
 * percent-encoding, a control character in a header, a path or headers past the size limits):
 * the same {@code application/problem+json} every route answers with, instead of Jetty's HTML page.
 * Set on the Jetty {@code Server}, so it also covers what fails before the servlet is chosen.
 */
public final class ProblemErrorHandler extends ErrorHandler {

    public ProblemErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    /** Parser-level refusals (414, 431, bad bytes): Jetty writes the buffer we return. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        return ByteBuffer.wrap(Json.bytes(body(status, reason)));
    }

    /** Errors raised once the request was parsed, but outside Javalin (for example an ambiguous URI). */
    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(Json.bytes(body(code, message))), callback);
    }

    static ObjectNode body(int status, String reason) {
        ObjectNode n = Problems.base(status, Problems.slugOf(status), Problems.titleOf(status), detail(status, reason));
        String field = switch (status) {
            case 414 -> "path";
            case 431 -> "headers";
            default -> null;
        };
        if (field != null) {
            n.putArray("errors")
                    .addObject()
                    .put("field", field)
                    .put("detail", n.get("detail").asText());
        }
        return n;
    }

    private static String detail(int status, String reason) {
        return switch (status) {
            case 414 -> "the request's path and query are longer than this server reads";
            case 431 -> "the request's headers are larger than this server reads";
            case 400 -> "the request is malformed" + (reason == null || reason.isBlank() ? "" : ": " + clean(reason));
            default -> reason == null || reason.isBlank() ? Problems.titleOf(status) : clean(reason);
        };
    }

    /** Jetty's reasons are its own short phrases; control characters and length are trimmed all the same. */
    private static String clean(String s) {
        String c = s.replaceAll("\\p{Cntrl}", " ").strip();
        return c.length() > 120 ? c.substring(0, 120) : c;
    }
}

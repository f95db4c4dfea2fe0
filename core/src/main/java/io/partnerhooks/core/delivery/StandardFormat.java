package io.partnerhooks.core.delivery;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Times;
import java.nio.charset.StandardCharsets;

/**
 * Renders the canonical envelope. Built by hand rather than through a tree so that the stored
 * subject and data JSON go out exactly as they were accepted, and so the hot path makes one string.
 */
public final class StandardFormat {
    private StandardFormat() {}

    public static byte[] render(Event e) {
        StringBuilder sb =
                new StringBuilder(128 + e.dataJson().length() + e.subjectJson().length());
        sb.append("{\"id\":");
        quote(sb, e.id().value());
        sb.append(",\"type\":");
        quote(sb, e.type());
        sb.append(",\"created_at\":");
        quote(sb, Times.format(e.createdAt()));
        sb.append(",\"partner_id\":");
        quote(sb, e.partnerId().value());
        sb.append(",\"subject\":").append(e.subjectJson());
        sb.append(",\"sequence\":").append(e.sequence());
        sb.append(",\"data\":").append(e.dataJson());
        if (e.test()) {
            // only test sends carry the flag, so ordinary envelopes keep their exact shape
            sb.append(",\"test\":true");
        }
        sb.append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        sb.append('"');
    }
}

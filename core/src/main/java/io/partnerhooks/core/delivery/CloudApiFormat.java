package io.partnerhooks.core.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * WhatsApp Cloud API webhooks, as Meta sends them: the body is the {@code cloud_api} member of the
 * event's data (Meta's envelope holding one number's change, whose value is byte for byte what
 * Meta sent), signed in {@code X-Hub-Signature-256}. Events that came from Meta carry that member;
 * others have no counterpart here and go out in the standard form.
 *
 * <p>The {@code X-Hub-Signature-256} key is the endpoint's secret string exactly as the API shows it,
 * {@code whsec_} prefix included, as UTF-8 bytes: a Cloud API receiver configured with that string
 * as its "app secret" verifies it unchanged.
 */
public final class CloudApiFormat implements PayloadFormat {
    public static final String NAME = "cloud_api";
    /** The member of a Meta-derived event's data that holds the Cloud API body. */
    public static final String MEMBER = "cloud_api";

    public static final String SIGNATURE_HEADER = "x-hub-signature-256";
    private static final JsonFactory FACTORY = new JsonFactory();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Rendered> render(Event event, Endpoint endpoint, Instant now) {
        return member(event.dataJson()).map(body -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            return new Rendered(bytes, Map.of(SIGNATURE_HEADER, signature(endpoint.secret(), bytes)));
        });
    }

    /** {@code sha256=} and the lower-case hex HMAC-SHA256 of the body, keyed with the secret's UTF-8 bytes. */
    public static String signature(String secret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(Signer.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    /** The raw text of the top-level {@code cloud_api} object of the data, when there is one. */
    static Optional<String> member(String dataJson) {
        try (JsonParser p = FACTORY.createParser(dataJson)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals(MEMBER) && t == JsonToken.START_OBJECT) {
                    int from = (int) p.currentTokenLocation().getCharOffset();
                    p.skipChildren();
                    int to = (int) p.currentLocation().getCharOffset();
                    return Optional.of(dataJson.substring(from, to));
                }
                p.skipChildren();
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

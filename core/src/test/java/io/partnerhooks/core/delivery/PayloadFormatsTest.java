package io.partnerhooks.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.PartnerId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PayloadFormatsTest {
    private static final Instant T = Instant.parse("2026-11-22T12:00:00Z");
    private static final Event EVENT = new Event(
            new EventId("evt_01JD3X8ZQ4M2R7T9V0B5C6N8KP"),
            new PartnerId("ptn_01JD3X8ZQ4M2R7T9V0B5C6N8KA"),
            "api_token.rotated",
            "{}",
            "{\"a\":1}",
            T,
            null);

    /** A format that only knows api_token.* events. */
    private static final PayloadFormat SHOUTY = new PayloadFormat() {
        @Override
        public String name() {
            return "shouty";
        }

        @Override
        public Optional<Rendered> render(Event e, Endpoint ep, Instant now) {
            if (!e.type().startsWith("api_token.")) {
                return Optional.empty();
            }
            return Optional.of(new Rendered(
                    e.type().toUpperCase().getBytes(StandardCharsets.UTF_8),
                    Map.of("x-shouty", Long.toString(now.getEpochSecond()))));
        }
    };

    private static Endpoint endpoint(String format) {
        return new Endpoint(
                new EndpointId("ep_01JD3X8ZQ4M2R7T9V0B5C6N8KQ"),
                EVENT.partnerId(),
                "https://example.com/",
                List.of("*"),
                null,
                true,
                "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0",
                T,
                T,
                null,
                null,
                null,
                null,
                new Endpoint.Profile(format, Map.of(), null, null));
    }

    @Test
    void theEndpointsFormatRendersAndUnmappedTypesFallBackToStandard() {
        PayloadFormats formats = PayloadFormats.of(SHOUTY);
        assertThat(formats.names()).containsExactly("standard", "shouty");
        PayloadFormat.Rendered r = formats.render(EVENT, endpoint("shouty"), T);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("API_TOKEN.ROTATED");
        assertThat(r.headers()).containsEntry("x-shouty", Long.toString(T.getEpochSecond()));

        Event other = new Event(EVENT.id(), EVENT.partnerId(), "channel.live", "{}", "{}", T, null);
        PayloadFormat.Rendered fallback = formats.render(other, endpoint("shouty"), T);
        assertThat(fallback.body()).isEqualTo(StandardFormat.render(other));
        assertThat(fallback.headers()).isEmpty();
    }

    @Test
    void anUnknownOrStandardFormatRendersTheStandardEnvelope() {
        PayloadFormats formats = PayloadFormats.all();
        assertThat(formats.render(EVENT, endpoint("standard"), T).body()).isEqualTo(StandardFormat.render(EVENT));
        assertThat(formats.render(EVENT, endpoint("gone-format"), T).body()).isEqualTo(StandardFormat.render(EVENT));
    }

    @Test
    void messagingWebhooksTakeNoPartOfTypeFanOut() {
        Endpoint ordinary = endpoint("standard");
        Endpoint messaging = new Endpoint(
                ordinary.id(),
                ordinary.partnerId(),
                ordinary.url(),
                List.of("*"),
                null,
                true,
                ordinary.secret(),
                T,
                T,
                null,
                null,
                null,
                null,
                new Endpoint.Profile("standard", Map.of(), "ch_1", Endpoint.ROLE_MESSAGING));
        assertThat(ordinary.accepts("channel.live")).isTrue();
        assertThat(messaging.accepts("channel.live")).isFalse();
    }
}

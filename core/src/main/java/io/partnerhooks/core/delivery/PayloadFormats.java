package io.partnerhooks.core.delivery;

import io.partnerhooks.core.delivery.formats.Dialog360Format;
import io.partnerhooks.core.delivery.formats.NinetyNineDigitalFormat;
import io.partnerhooks.core.delivery.formats.TimelinesAiFormat;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The payload formats this build knows, by name. {@code standard} is always there. */
public final class PayloadFormats {
    /** The canonical envelope (docs/events.md). */
    public static final PayloadFormat STANDARD = new PayloadFormat() {
        @Override
        public String name() {
            return Endpoint.Profile.STANDARD;
        }

        @Override
        public Optional<Rendered> render(Event event, Endpoint endpoint, Instant now) {
            return Optional.of(Rendered.body(StandardFormat.render(event)));
        }
    };

    private final Map<String, PayloadFormat> byName;

    private PayloadFormats(Map<String, PayloadFormat> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** Every format of this build. Add a new format here. */
    public static PayloadFormats all() {
        return of(
                STANDARD,
                // Per-number messaging webhooks in WhatsApp Cloud API form (docs/messaging.md).
                new CloudApiFormat(),
                // Provider-compatible partner formats (docs/compatibility.md).
                new TimelinesAiFormat(),
                new Dialog360Format(),
                new NinetyNineDigitalFormat());
    }

    public static PayloadFormats of(PayloadFormat... formats) {
        Map<String, PayloadFormat> m = new LinkedHashMap<>();
        m.put(STANDARD.name(), STANDARD);
        for (PayloadFormat f : formats) {
            m.put(f.name(), f);
        }
        return new PayloadFormats(m);
    }

    public Set<String> names() {
        return byName.keySet();
    }

    public boolean knows(String name) {
        return byName.containsKey(name);
    }

    /** Renders in the endpoint's format, falling back to standard where that format has no counterpart. */
    public PayloadFormat.Rendered render(Event event, Endpoint endpoint, Instant now) {
        PayloadFormat f = byName.getOrDefault(endpoint.format(), STANDARD);
        return f.render(event, endpoint, now)
                .or(() -> STANDARD.render(event, endpoint, now))
                .orElseThrow();
    }
}

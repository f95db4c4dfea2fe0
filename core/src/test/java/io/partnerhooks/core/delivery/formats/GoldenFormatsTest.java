package io.partnerhooks.core.delivery.formats;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.delivery.PayloadFormat;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.PartnerId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every catalog type, rendered from its catalog example in every provider format, against the
 * golden files under {@code src/test/resources/golden/<format>/}: {@code <type>.json} holds the exact
 * body bytes, {@code <type>.headers} the format's own headers ("name: value" lines, absent when it
 * adds none). A type without a golden body must have no counterpart in that format (it then goes
 * out in standard form). To rewrite the files after a deliberate change, run the test with
 * {@code -Dgolden.write=true} and review the diff.
 */
class GoldenFormatsTest {
    static final Instant CREATED = Instant.parse("2026-11-22T12:00:00.123Z");
    static final Instant NOW = Instant.parse("2026-11-22T12:00:05Z");
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final PartnerId PARTNER = new PartnerId("ptn_01JD3X8ZQ4M2R7T9V0B5C6N8KA");
    static final EventId EVENT_ID = new EventId("evt_01JD3X8ZQ4M2R7T9V0B5C6N8KP");

    static final List<PayloadFormat> FORMATS =
            List.of(new TimelinesAiFormat(), new Dialog360Format(), new NinetyNineDigitalFormat());

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (PayloadFormat f : FORMATS) {
            for (EventCatalog.EventType t : EventCatalog.load().types()) {
                out.add(Arguments.of(f.name(), t.type()));
            }
        }
        return out.stream();
    }

    /**
     * Extra cases beyond the catalog examples, where an example leaves out fields a format has a
     * place for: {@code <type>@<variant>.input.json} holds the data, the rest works as above.
     */
    static final List<String[]> VARIANTS = List.of(
            new String[] {"99digital", "channel.created", "onboarding"},
            new String[] {"360dialog", "channel.created", "onboarding"},
            new String[] {"timelinesai", "whatsapp_account.connected", "numeric-ids"});

    static Stream<Arguments> variants() {
        return VARIANTS.stream().map(v -> Arguments.of(v[0], v[1], v[2]));
    }

    @ParameterizedTest(name = "{0} {1}@{2}")
    @MethodSource("variants")
    void rendersExactlyTheGoldenFileOfEachVariant(String format, String type, String variant) throws IOException {
        String base = "golden/" + format + "/" + type + "@" + variant;
        byte[] input = read(base + ".input.json");
        assertThat(input).as(base + ".input.json").isNotNull();
        String data = new String(input, StandardCharsets.UTF_8);
        assertThat(EventCatalog.load().validate(type, FormatJson.MAPPER.readTree(data)))
                .as("schema")
                .isEmpty();
        Event e = new Event(EVENT_ID, PARTNER, type, "{}", data, CREATED, null);
        Optional<PayloadFormat.Rendered> r = format(format).render(e, endpoint(format), NOW);
        if (Boolean.getBoolean("golden.write")) {
            write(base, r);
        }
        assertThat(r).isPresent();
        assertThat(new String(r.get().body(), StandardCharsets.UTF_8))
                .isEqualTo(new String(read(base + ".json"), StandardCharsets.UTF_8));
        byte[] headers = read(base + ".headers");
        assertThat(headerLines(r.get().headers()))
                .isEqualTo(headers == null ? "" : new String(headers, StandardCharsets.UTF_8));
    }

    static Event example(String type) {
        EventCatalog.EventType t = EventCatalog.load().find(type).orElseThrow();
        return new Event(
                EVENT_ID, PARTNER, type, "{\"workspace_id\":\"ws_acme-support\"}", t.exampleJson(), CREATED, null);
    }

    static Endpoint endpoint(String format) {
        return new Endpoint(
                new EndpointId("ep_01JD3X8ZQ4M2R7T9V0B5C6N8KQ"),
                PARTNER,
                "https://hooks.example.com/in",
                List.of("*"),
                null,
                true,
                SECRET,
                CREATED,
                CREATED,
                null,
                null,
                null,
                null,
                new Endpoint.Profile(format, Map.of(), null, null));
    }

    static PayloadFormat format(String name) {
        return FORMATS.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void rendersExactlyTheGoldenFile(String format, String type) throws IOException {
        Optional<PayloadFormat.Rendered> r = format(format).render(example(type), endpoint(format), NOW);
        String base = "golden/" + format + "/" + type;
        if (Boolean.getBoolean("golden.write")) {
            write(base, r);
        }
        byte[] body = read(base + ".json");
        if (body == null) {
            assertThat(r)
                    .as(format + " has no golden body for " + type + ", so it must fall back to standard")
                    .isEmpty();
            return;
        }
        assertThat(r).as(format + " must render " + type).isPresent();
        assertThat(new String(r.get().body(), StandardCharsets.UTF_8))
                .isEqualTo(new String(body, StandardCharsets.UTF_8));
        assertThat(r.get().body()).isEqualTo(body);
        byte[] headers = read(base + ".headers");
        assertThat(headerLines(r.get().headers()))
                .isEqualTo(headers == null ? "" : new String(headers, StandardCharsets.UTF_8));
    }

    /** The formats map exactly the types the issue names (and golden files exist for all of them). */
    @Test
    void everyMappedTypeHasAGoldenFile() {
        for (PayloadFormat f : FORMATS) {
            Set<String> mapped = new TreeSet<>();
            Set<String> golden = new TreeSet<>();
            for (EventCatalog.EventType t : EventCatalog.load().types()) {
                if (f.render(example(t.type()), endpoint(f.name()), NOW).isPresent()) {
                    mapped.add(t.type());
                }
                if (getClass().getClassLoader().getResource("golden/" + f.name() + "/" + t.type() + ".json") != null) {
                    golden.add(t.type());
                }
            }
            assertThat(golden).as(f.name()).isEqualTo(mapped);
            Set<String> declared = new TreeSet<>(
                    switch (f.name()) {
                        case "timelinesai" -> TimelinesAiFormat.eventTypes().keySet();
                        case "360dialog" -> Dialog360Format.events360().keySet();
                        default -> NinetyNineDigitalFormat.events().keySet();
                    });
            assertThat(mapped).as(f.name()).isEqualTo(declared);
        }
        assertThat(new TreeSet<>(TimelinesAiFormat.eventTypes().values()))
                .containsExactlyInAnyOrder(
                        "workspace:seats_full",
                        "workspace:quota_near_full:messaging",
                        "workspace:quota_full:messaging",
                        "workspace:quota_full:transactions",
                        "workspace:quota_full:api_calls",
                        "whatsapp_account:connected",
                        "whatsapp_account:disconnected",
                        "api_token:rotated");
        assertThat(new TreeSet<>(NinetyNineDigitalFormat.events().values()))
                .containsExactlyInAnyOrder("whatsapp", "builder", "online", "partners", "package");
    }

    static String headerLines(Map<String, String> headers) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(headers)
                .forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
        return sb.toString();
    }

    private byte[] read(String resource) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    private static void write(String base, Optional<PayloadFormat.Rendered> r) throws IOException {
        Path dir = Path.of("src/test/resources");
        Path body = dir.resolve(base + ".json");
        Path headers = dir.resolve(base + ".headers");
        Files.deleteIfExists(body);
        Files.deleteIfExists(headers);
        if (r.isEmpty()) {
            return;
        }
        Files.createDirectories(body.getParent());
        Files.write(body, r.get().body());
        if (!r.get().headers().isEmpty()) {
            Files.writeString(headers, headerLines(r.get().headers()));
        }
    }
}

package io.partnerhooks.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SignerTest {

    /** One entry of docs/signature-vectors.json, whose signatures were computed outside Java. */
    record Vector(String description, String secret, String msgId, long timestamp, String body, String expected) {
        byte[] bodyBytes() {
            return body.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return description;
        }
    }

    static List<Vector> vectors() {
        Path file = locateVectors();
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(file));
            List<Vector> out = new ArrayList<>();
            for (JsonNode n : root) {
                out.add(new Vector(
                        n.path("description").asText(n.get("msg_id").asText()),
                        n.get("secret").asText(),
                        n.get("msg_id").asText(),
                        n.get("timestamp").asLong(),
                        n.get("body").asText(),
                        n.get("expected").asText()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Surefire starts in the module directory, an IDE often in the repository root; walking up
     * finds the shared file from either.
     */
    static Path locateVectors() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs").resolve("signature-vectors.json");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "docs/signature-vectors.json not found above " + Path.of("").toAbsolutePath());
    }

    static Stream<Arguments> vectorArguments() {
        return vectors().stream().map(Arguments::of);
    }

    private static Map<String, List<String>> headers(String id, long timestamp, String signature) {
        return Map.of(
                "webhook-id", List.of(id),
                "webhook-timestamp", List.of(Long.toString(timestamp)),
                "webhook-signature", List.of(signature));
    }

    @Test
    void theVectorFileCoversTheAwkwardCases() {
        List<Vector> all = vectors();
        assertThat(all).hasSizeGreaterThanOrEqualTo(6);
        assertThat(all).extracting(v -> Signer.keyOf(v.secret()).length).contains(24, 32, 64);
        assertThat(all).extracting(Vector::body).contains("{}");
        assertThat(all).anySatisfy(v -> assertThat(v.body()).contains("café 😀"));
        assertThat(all).anySatisfy(v -> assertThat(v.bodyBytes().length).isGreaterThan(4096));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorArguments")
    void signsLikeTheIndependentlyComputedVector(Vector v) {
        assertThat(Signer.sign(v.secret(), v.msgId(), v.timestamp(), v.bodyBytes()))
                .isEqualTo(v.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorArguments")
    void agreesWithTheReferenceLibrarysOwnSigning(Vector v) throws Exception {
        assertThat(Signer.sign(v.secret(), v.msgId(), v.timestamp(), v.bodyBytes()))
                .isEqualTo(new Webhook(v.secret()).sign(v.msgId(), v.timestamp(), v.body()));
    }

    // The reference verifier compares the timestamp with its own clock, so these sign "now".
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorArguments")
    void referenceLibraryAcceptsOurSignatureOfTheCurrentTime(Vector v) throws Exception {
        long now = Instant.now().getEpochSecond();
        String signature = Signer.sign(v.secret(), v.msgId(), now, v.bodyBytes());

        Webhook receiver = new Webhook(v.secret());

        assertThatNoException().isThrownBy(() -> receiver.verify(v.body(), headers(v.msgId(), now, signature)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorArguments")
    void referenceLibraryRejectsATamperedBody(Vector v) throws Exception {
        long now = Instant.now().getEpochSecond();
        String signature = Signer.sign(v.secret(), v.msgId(), now, v.bodyBytes());
        String tampered = v.body() + " ";

        assertThatThrownBy(() -> new Webhook(v.secret()).verify(tampered, headers(v.msgId(), now, signature)))
                .isInstanceOf(WebhookVerificationException.class)
                .hasMessageContaining("No matching signature");
    }

    @Test
    void referenceLibraryRejectsAnotherMessageIdOrTimestamp() throws Exception {
        Vector v = vectors().get(0);
        long now = Instant.now().getEpochSecond();
        String signature = Signer.sign(v.secret(), v.msgId(), now, v.bodyBytes());
        Webhook receiver = new Webhook(v.secret());

        assertThatThrownBy(() -> receiver.verify(v.body(), headers(v.msgId() + "x", now, signature)))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> receiver.verify(v.body(), headers(v.msgId(), now - 1, signature)))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void referenceLibraryRejectsASignatureMadeWithAnotherSecret() {
        Vector v = vectors().get(0);
        long now = Instant.now().getEpochSecond();
        String otherSecret = Signer.newSecret(new SplittableRandom(7));
        String signature = Signer.sign(otherSecret, v.msgId(), now, v.bodyBytes());

        assertThatThrownBy(() -> new Webhook(v.secret()).verify(v.body(), headers(v.msgId(), now, signature)))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void signatureIsVersionedBase64OfA256BitMac() {
        Vector v = vectors().get(0);
        String signature = Signer.sign(v.secret(), v.msgId(), v.timestamp(), v.bodyBytes());

        assertThat(signature).startsWith("v1,");
        assertThat(Base64.getDecoder().decode(signature.substring(3))).hasSize(32);
    }

    @Test
    void newSecretIsPrefixedBase64Of32BytesFromTheGivenRandom() {
        String secret = Signer.newSecret(new SplittableRandom(42));

        byte[] expectedKey = new byte[32];
        new SplittableRandom(42).nextBytes(expectedKey);
        assertThat(secret).startsWith("whsec_");
        assertThat(secret).isEqualTo("whsec_" + Base64.getEncoder().encodeToString(expectedKey));
        assertThat(Signer.keyOf(secret))
                .hasSize(Signer.SECRET_BYTES)
                .hasSize(32)
                .isEqualTo(expectedKey);
    }

    @Test
    void newSecretsDifferFromCallToCall() {
        SplittableRandom random = new SplittableRandom(1);

        assertThat(Signer.newSecret(random)).isNotEqualTo(Signer.newSecret(random));
    }

    @Test
    void aFreshSecretIsUsableByTheReferenceLibrary() {
        String secret = Signer.newSecret(new SplittableRandom(3));
        long now = Instant.now().getEpochSecond();
        String body = "{\"ok\":true}";
        String signature = Signer.sign(secret, "evt_1", now, body.getBytes(StandardCharsets.UTF_8));

        assertThatNoException().isThrownBy(() -> new Webhook(secret).verify(body, headers("evt_1", now, signature)));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"c2VjcmV0", "WHSEC_c2VjcmV0", "sk_c2VjcmV0"})
    void secretsWithoutTheWhsecPrefixAreRefused(String secret) {
        assertThatThrownBy(() -> Signer.keyOf(secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whsec_");
        assertThatThrownBy(() -> Signer.sign(secret, "evt_1", 1, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package io.partnerhooks.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.partnerhooks.sdk.WebhookVerificationException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookVerifierTest {

    /** One entry of docs/signature-vectors.json (signatures computed outside Java). */
    record Vector(String description, String secret, String msgId, long timestamp, String body, String expected) {
        byte[] bodyBytes() {
            return body.getBytes(StandardCharsets.UTF_8);
        }

        String ts() {
            return Long.toString(timestamp);
        }

        Instant at() {
            return Instant.ofEpochSecond(timestamp);
        }

        @Override
        public String toString() {
            return description;
        }
    }

    // A second, unrelated secret, as a partner would hold during a rotation.
    private static final String OTHER_SECRET = "whsec_"
            + Base64.getEncoder()
                    .encodeToString("an entirely different 32-byte k!".getBytes(StandardCharsets.US_ASCII));

    static List<Vector> vectors() throws IOException {
        Object parsed = new MiniJson(Files.readString(locateVectors(), StandardCharsets.UTF_8)).parse();
        List<Vector> out = new ArrayList<>();
        for (Object item : (List<?>) parsed) {
            Map<?, ?> m = (Map<?, ?>) item;
            out.add(new Vector(
                    String.valueOf(m.get("description")),
                    (String) m.get("secret"),
                    (String) m.get("msg_id"),
                    (Long) m.get("timestamp"),
                    (String) m.get("body"),
                    (String) m.get("expected")));
        }
        return out;
    }

    static Stream<Arguments> vectorArguments() throws IOException {
        return vectors().stream().map(Arguments::of);
    }

    /** Surefire runs in sdk/, an IDE may run in the repository root: walk up to find docs/. */
    private static Path locateVectors() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs").resolve("signature-vectors.json");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "docs/signature-vectors.json not found above " + Path.of("").toAbsolutePath());
    }

    private static Vector first() throws IOException {
        return vectors().get(0);
    }

    /** What a sender would put in webhook-signature; kept apart from the verifier's own code. */
    private static String sign(String secret, String id, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(
            WebhookVerifier verifier,
            Vector v,
            String id,
            String timestamp,
            String signature,
            Instant now,
            Reason reason) {
        return assertThatThrownBy(() -> verifier.verify(v.bodyBytes(), id, timestamp, signature, now))
                .isInstanceOf(WebhookVerificationException.class)
                .satisfies(e ->
                        assertThat(((WebhookVerificationException) e).reason()).isEqualTo(reason));
    }

    // ---- the shared vectors ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorArguments")
    void acceptsEveryVector(Vector v) {
        WebhookVerifier verifier = new WebhookVerifier(v.secret());

        assertThatNoException()
                .isThrownBy(() -> verifier.verify(v.bodyBytes(), v.msgId(), v.ts(), v.expected(), v.at()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorArguments")
    void theTestSignerAgreesWithTheVectors(Vector v) throws Exception {
        assertThat(sign(v.secret(), v.msgId(), v.ts(), v.bodyBytes())).isEqualTo(v.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorArguments")
    void rejectsATamperedBody(Vector v) {
        WebhookVerifier verifier = new WebhookVerifier(v.secret());
        byte[] tampered = (v.body() + "\n").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> verifier.verify(tampered, v.msgId(), v.ts(), v.expected(), v.at()))
                .isInstanceOf(WebhookVerificationException.class)
                .hasMessageContaining("none of the 1 v1 signature(s)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorArguments")
    void rejectsAnotherMessageIdOrTimestamp(Vector v) {
        WebhookVerifier verifier = new WebhookVerifier(v.secret());
        String laterTs = Long.toString(v.timestamp() + 1);

        assertRejected(verifier, v, v.msgId() + "0", v.ts(), v.expected(), v.at(), Reason.NO_MATCHING_SIGNATURE);
        assertRejected(verifier, v, v.msgId(), laterTs, v.expected(), v.at(), Reason.NO_MATCHING_SIGNATURE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorArguments")
    void rejectsTheWrongSecret(Vector v) {
        WebhookVerifier verifier = new WebhookVerifier(OTHER_SECRET);

        assertRejected(verifier, v, v.msgId(), v.ts(), v.expected(), v.at(), Reason.NO_MATCHING_SIGNATURE)
                .hasMessageContaining("signing secret");
    }

    @Test
    void aVerifierDoesNotAcceptTheSecretOfAnotherVector() throws IOException {
        List<Vector> all = vectors();
        Vector a = all.get(0);
        Vector b = all.get(1);

        assertThat(a.secret()).isNotEqualTo(b.secret());
        assertRejected(
                new WebhookVerifier(b.secret()),
                a,
                a.msgId(),
                a.ts(),
                a.expected(),
                a.at(),
                Reason.NO_MATCHING_SIGNATURE);
    }

    // ---- several signatures and several secrets ----

    @Test
    void aGoodSignatureAfterABadOneIsFound() throws IOException {
        Vector v = first();
        String bad = "v1," + Base64.getEncoder().encodeToString(new byte[32]);

        assertThatNoException()
                .isThrownBy(() -> new WebhookVerifier(v.secret())
                        .verify(v.bodyBytes(), v.msgId(), v.ts(), bad + " " + v.expected(), v.at()));
        assertThatNoException()
                .isThrownBy(() -> new WebhookVerifier(v.secret())
                        .verify(v.bodyBytes(), v.msgId(), v.ts(), v.expected() + " " + bad, v.at()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1,!!not-base64!!", "v1,", "v1a,c2lnbmF0dXJl", "v2,c2lnbmF0dXJl", "V1,abc", "garbage"})
    void malformedOrForeignEntriesAreSkipped(String noise) throws IOException {
        Vector v = first();
        WebhookVerifier verifier = new WebhookVerifier(v.secret());

        assertThatNoException()
                .isThrownBy(
                        () -> verifier.verify(v.bodyBytes(), v.msgId(), v.ts(), noise + " " + v.expected(), v.at()));
        assertThatThrownBy(() -> verifier.verify(v.bodyBytes(), v.msgId(), v.ts(), noise, v.at()))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void extraSpacingInTheSignatureHeaderIsTolerated() throws IOException {
        Vector v = first();
        String header = "  v1,AAAA   " + v.expected() + "  ";

        assertThatNoException()
                .isThrownBy(
                        () -> new WebhookVerifier(v.secret()).verify(v.bodyBytes(), v.msgId(), v.ts(), header, v.at()));
    }

    @Test
    void aHeaderWithoutAnyV1EntrySaysSo() throws IOException {
        Vector v = first();

        assertRejected(
                        new WebhookVerifier(v.secret()),
                        v,
                        v.msgId(),
                        v.ts(),
                        "v1a,abc v2,def",
                        v.at(),
                        Reason.NO_MATCHING_SIGNATURE)
                .hasMessage("webhook-signature has no v1 signature");
    }

    @Test
    void aPrefixOfTheRightSignatureDoesNotMatch() throws IOException {
        Vector v = first();
        String truncated = v.expected().substring(0, v.expected().length() - 8);

        assertRejected(
                new WebhookVerifier(v.secret()), v, v.msgId(), v.ts(), truncated, v.at(), Reason.NO_MATCHING_SIGNATURE);
    }

    @Test
    void duringRotationEitherSecretIsAccepted() throws Exception {
        Vector v = first();
        String signedWithOther = sign(OTHER_SECRET, v.msgId(), v.ts(), v.bodyBytes());
        WebhookVerifier both = new WebhookVerifier(List.of(OTHER_SECRET, v.secret()));

        assertThatNoException().isThrownBy(() -> both.verify(v.bodyBytes(), v.msgId(), v.ts(), v.expected(), v.at()));
        assertThatNoException()
                .isThrownBy(() -> both.verify(v.bodyBytes(), v.msgId(), v.ts(), signedWithOther, v.at()));
    }

    @Test
    void duringRotationTheSenderSendsBothSignaturesAndEitherReceiverAccepts() throws Exception {
        Vector v = first();
        String header = sign(OTHER_SECRET, v.msgId(), v.ts(), v.bodyBytes()) + " " + v.expected();

        assertThatNoException()
                .isThrownBy(
                        () -> new WebhookVerifier(v.secret()).verify(v.bodyBytes(), v.msgId(), v.ts(), header, v.at()));
        assertThatNoException()
                .isThrownBy(() ->
                        new WebhookVerifier(OTHER_SECRET).verify(v.bodyBytes(), v.msgId(), v.ts(), header, v.at()));
    }

    @Test
    void afterRotationTheRetiredSecretNoLongerVerifies() throws Exception {
        Vector v = first();
        String signedWithOther = sign(OTHER_SECRET, v.msgId(), v.ts(), v.bodyBytes());

        assertRejected(
                new WebhookVerifier(List.of(v.secret())),
                v,
                v.msgId(),
                v.ts(),
                signedWithOther,
                v.at(),
                Reason.NO_MATCHING_SIGNATURE);
    }

    // ---- timestamps ----

    @Test
    void theDefaultToleranceIsFiveMinutes() throws IOException {
        assertThat(new WebhookVerifier(first().secret()).tolerance()).isEqualTo(Duration.ofMinutes(5));
        assertThat(WebhookVerifier.DEFAULT_TOLERANCE).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void exactlyFiveMinutesEitherWayIsAccepted() throws IOException {
        Vector v = first();
        WebhookVerifier verifier = new WebhookVerifier(v.secret());

        assertThatNoException()
                .isThrownBy(() -> verifier.verify(
                        v.bodyBytes(), v.msgId(), v.ts(), v.expected(), v.at().plus(Duration.ofMinutes(5))));
        assertThatNoException()
                .isThrownBy(() -> verifier.verify(
                        v.bodyBytes(), v.msgId(), v.ts(), v.expected(), v.at().minus(Duration.ofMinutes(5))));
    }

    @Test
    void staleTimestampsAreRejected() throws IOException {
        Vector v = first();
        WebhookVerifier verifier = new WebhookVerifier(v.secret());

        assertRejected(
                        verifier,
                        v,
                        v.msgId(),
                        v.ts(),
                        v.expected(),
                        v.at().plusSeconds(301),
                        Reason.TIMESTAMP_OUT_OF_TOLERANCE)
                .hasMessageContaining("301 s in the past");
        assertRejected(
                verifier,
                v,
                v.msgId(),
                v.ts(),
                v.expected(),
                v.at().plus(Duration.ofMinutes(5)).plusNanos(1),
                Reason.TIMESTAMP_OUT_OF_TOLERANCE);
        assertRejected(
                verifier,
                v,
                v.msgId(),
                v.ts(),
                v.expected(),
                v.at().plus(Duration.ofDays(30)),
                Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    }

    @Test
    void futureTimestampsAreRejected() throws IOException {
        Vector v = first();
        WebhookVerifier verifier = new WebhookVerifier(v.secret());

        assertRejected(
                        verifier,
                        v,
                        v.msgId(),
                        v.ts(),
                        v.expected(),
                        v.at().minusSeconds(301),
                        Reason.TIMESTAMP_OUT_OF_TOLERANCE)
                .hasMessageContaining("301 s in the future");
        assertRejected(
                verifier,
                v,
                v.msgId(),
                v.ts(),
                v.expected(),
                v.at().minus(Duration.ofDays(365)),
                Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    }

    @Test
    void theTimestampIsCheckedEvenWhenTheSignatureIsGood() throws Exception {
        // A captured request replayed an hour later still carries a valid signature.
        Vector v = first();

        assertRejected(
                new WebhookVerifier(v.secret()),
                v,
                v.msgId(),
                v.ts(),
                v.expected(),
                v.at().plus(Duration.ofHours(1)),
                Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    }

    @Test
    void theToleranceIsConfigurable() throws IOException {
        Vector v = first();
        WebhookVerifier tight = new WebhookVerifier(v.secret(), Duration.ofSeconds(10));
        WebhookVerifier loose = new WebhookVerifier(List.of(v.secret()), Duration.ofHours(1));

        assertThat(tight.tolerance()).isEqualTo(Duration.ofSeconds(10));
        assertThatNoException()
                .isThrownBy(() -> tight.verify(v.bodyBytes(), v.msgId(), v.ts(), v.expected(), v.at().plusSeconds(10)));
        assertRejected(
                        tight,
                        v,
                        v.msgId(),
                        v.ts(),
                        v.expected(),
                        v.at().plusSeconds(11),
                        Reason.TIMESTAMP_OUT_OF_TOLERANCE)
                .hasMessageContaining("10 s tolerance");
        assertRejected(
                tight, v, v.msgId(), v.ts(), v.expected(), v.at().minusSeconds(11), Reason.TIMESTAMP_OUT_OF_TOLERANCE);
        assertThatNoException()
                .isThrownBy(() -> loose.verify(
                        v.bodyBytes(), v.msgId(), v.ts(), v.expected(), v.at().plus(Duration.ofMinutes(59))));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "abc",
                "-1700000000",
                "+1700000000",
                "1.7e9",
                "1700000000.5",
                "0x6553F100",
                "1 700 000 000",
                "\uFF11\uFF17\uFF10\uFF10",
                "1700000000s",
                "9999999999999999999",
                "123456789012345678901234567890"
            })
    void nonNumericTimestampsAreRejected(String timestamp) throws IOException {
        Vector v = first();

        assertRejected(
                        new WebhookVerifier(v.secret()),
                        v,
                        v.msgId(),
                        timestamp,
                        v.expected(),
                        v.at(),
                        Reason.INVALID_TIMESTAMP)
                .hasMessageContaining("webhook-timestamp");
    }

    @Test
    void anEighteenDigitTimestampIsAFarFutureTimeNotACrash() throws IOException {
        Vector v = first();

        assertRejected(
                new WebhookVerifier(v.secret()),
                v,
                v.msgId(),
                "999999999999999999",
                v.expected(),
                v.at(),
                Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    }

    @Test
    void surroundingWhitespaceInHeadersIsIgnored() throws IOException {
        Vector v = first();

        assertThatNoException()
                .isThrownBy(() -> new WebhookVerifier(v.secret())
                        .verify(v.bodyBytes(), " " + v.msgId() + " ", " " + v.ts() + "\t", v.expected(), v.at()));
    }

    // ---- missing headers ----

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void aMissingIdIsRejected(String missing) throws IOException {
        Vector v = first();

        assertRejected(new WebhookVerifier(v.secret()), v, missing, v.ts(), v.expected(), v.at(), Reason.MISSING_HEADER)
                .hasMessage("missing webhook-id header");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void aMissingTimestampIsRejected(String missing) throws IOException {
        Vector v = first();

        assertRejected(
                        new WebhookVerifier(v.secret()),
                        v,
                        v.msgId(),
                        missing,
                        v.expected(),
                        v.at(),
                        Reason.MISSING_HEADER)
                .hasMessage("missing webhook-timestamp header");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void aMissingSignatureIsRejected(String missing) throws IOException {
        Vector v = first();

        assertRejected(new WebhookVerifier(v.secret()), v, v.msgId(), v.ts(), missing, v.at(), Reason.MISSING_HEADER)
                .hasMessage("missing webhook-signature header");
    }

    @Test
    void nullBodyOrClockIsAProgrammingError() throws IOException {
        Vector v = first();
        WebhookVerifier verifier = new WebhookVerifier(v.secret());

        assertThatThrownBy(() -> verifier.verify(null, v.msgId(), v.ts(), v.expected(), v.at()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> verifier.verify(v.bodyBytes(), v.msgId(), v.ts(), v.expected(), null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void theOverloadWithoutNowUsesTheSystemClock() throws Exception {
        Vector v = first();
        String now = Long.toString(Instant.now().getEpochSecond());
        String signature = sign(v.secret(), v.msgId(), now, v.bodyBytes());
        WebhookVerifier verifier = new WebhookVerifier(v.secret());

        assertThatNoException().isThrownBy(() -> verifier.verify(v.bodyBytes(), v.msgId(), now, signature));
        assertThatThrownBy(() -> verifier.verify(v.bodyBytes(), v.msgId(), v.ts(), v.expected()))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void theExceptionIsUnchecked() {
        assertThat(RuntimeException.class).isAssignableFrom(WebhookVerificationException.class);
    }

    // ---- construction ----

    @ParameterizedTest
    @ValueSource(strings = {"", "c2VjcmV0", "WHSEC_c2VjcmV0", "whsec_", "whsec_!!!", "whsec_c2Vj cmV0"})
    void badSecretsAreRefusedWithoutEchoingThem(String secret) {
        assertThatThrownBy(() -> new WebhookVerifier(secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("signing secret #1")
                .satisfies(e -> {
                    if (secret.length() > "whsec_".length()) {
                        assertThat(e.getMessage()).doesNotContain(secret.substring("whsec_".length()));
                    }
                });
    }

    @Test
    void theFaultySecretIsNamedByPosition() throws IOException {
        List<String> secrets = List.of(first().secret(), "whsec_%%%");

        assertThatThrownBy(() -> new WebhookVerifier(secrets))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("signing secret #2");
    }

    @Test
    void aNullSecretIsRefused() {
        assertThatThrownBy(() -> new WebhookVerifier((String) null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void atLeastOneSecretIsNeeded() {
        assertThatThrownBy(() -> new WebhookVerifier(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one");
    }

    @Test
    void aNegativeToleranceIsRefused() throws IOException {
        String secret = first().secret();

        assertThatThrownBy(() -> new WebhookVerifier(secret, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tolerance");
    }

    @Test
    void aZeroToleranceAcceptsOnlyTheSameSecond() throws IOException {
        Vector v = first();
        WebhookVerifier exact = new WebhookVerifier(v.secret(), Duration.ZERO);

        assertThatNoException().isThrownBy(() -> exact.verify(v.bodyBytes(), v.msgId(), v.ts(), v.expected(), v.at()));
        assertRejected(
                exact, v, v.msgId(), v.ts(), v.expected(), v.at().plusSeconds(1), Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    }

    @Test
    void theVectorReaderHandlesEscapesAndUtf8() {
        Object parsed = new MiniJson(
                        "[{\"a\":\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\n\",\"b\":-12,\"c\":[true,null],"
                                + "\"d\":\"café 😀\"}]")
                .parse();

        Map<?, ?> m = (Map<?, ?>) ((List<?>) parsed).get(0);
        assertThat(m.get("a")).isEqualTo("café 😀 \"q\" \\ \n");
        assertThat(m.get("b")).isEqualTo(-12L);
        assertThat(m.get("c")).isEqualTo(Arrays.asList(true, null));
        assertThat(m.get("d")).isEqualTo("café 😀");
    }

    @Test
    void theVectorFileHasTheAwkwardCases() throws IOException {
        List<Vector> all = vectors();

        assertThat(all).hasSizeGreaterThanOrEqualTo(6);
        assertThat(all).anySatisfy(v -> assertThat(v.body()).contains("café 😀"));
        assertThat(all).extracting(Vector::body).contains("{}");
        assertThat(all)
                .extracting(v -> Base64.getDecoder().decode(v.secret().substring(6)).length)
                .contains(24, 32, 64);
    }

    /**
     * Just enough JSON for the vector file: the SDK has no dependencies, its tests none beyond
     * JUnit and AssertJ. Integers become Long, objects keep their order.
     */
    private static final class MiniJson {
        private final String s;
        private int pos;

        MiniJson(String s) {
            this.s = s;
        }

        Object parse() {
            Object v = value();
            skipSpace();
            if (pos != s.length()) {
                throw error("trailing text");
            }
            return v;
        }

        private Object value() {
            skipSpace();
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    return number();
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> out = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (peek() == '}') {
                pos++;
                return out;
            }
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                out.put(key, value());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect('}');
                    return out;
                }
            }
        }

        private List<Object> array() {
            List<Object> out = new ArrayList<>();
            pos++;
            skipSpace();
            if (peek() == ']') {
                pos++;
                return out;
            }
            while (true) {
                out.add(value());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect(']');
                    return out;
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    // Surrogate pairs arrive as two escapes and simply concatenate into one code point.
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        private Long number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error("unexpected character '" + peek() + "'");
            }
            return Long.parseLong(s.substring(start, pos));
        }

        private Object literal(String word, Object v) {
            if (!s.startsWith(word, pos)) {
                throw error("expected " + word);
            }
            pos += word.length();
            return v;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private IllegalStateException error(String what) {
            return new IllegalStateException("vector file, offset " + pos + ": " + what);
        }
    }
}

package io.partnerhooks.core.delivery.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.partnerhooks.core.delivery.PayloadFormat;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** X-TL-Signature is checked with an independent, maintained JWT library (auth0 java-jwt), not our own code. */
class TimelinesAiSignatureTest {
    private static final String PARTNER = GoldenFormatsTest.PARTNER.value();

    private static String renderedToken() {
        PayloadFormat.Rendered r = new TimelinesAiFormat()
                .render(
                        GoldenFormatsTest.example("workspace.seats.exhausted"),
                        GoldenFormatsTest.endpoint("timelinesai"),
                        GoldenFormatsTest.NOW)
                .orElseThrow();
        assertThat(r.headers()).containsEntry("x-tl-partner-id", PARTNER);
        return r.headers().get("x-tl-signature");
    }

    private static JWTVerifier verifier(String secret, Instant at) {
        return ((JWTVerifier.BaseVerification)
                        JWT.require(Algorithm.HMAC256(secret)).withClaim("partner_id", PARTNER))
                .build(Clock.fixed(at, ZoneOffset.UTC));
    }

    @Test
    void aJwtLibraryVerifiesTheSignatureWithTheEndpointSecretAsTheKey() {
        DecodedJWT jwt =
                verifier(GoldenFormatsTest.SECRET, GoldenFormatsTest.NOW).verify(renderedToken());
        assertThat(jwt.getAlgorithm()).isEqualTo("HS256");
        assertThat(jwt.getType()).isEqualTo("JWT");
        assertThat(jwt.getClaim("partner_id").asString()).isEqualTo(PARTNER);
        long now = GoldenFormatsTest.NOW.getEpochSecond();
        assertThat(jwt.getNotBefore().toInstant().getEpochSecond())
                .isEqualTo(now - TimelinesAiFormat.JWT_WINDOW_SECONDS);
        assertThat(jwt.getExpiresAt().toInstant().getEpochSecond())
                .isEqualTo(now + TimelinesAiFormat.JWT_WINDOW_SECONDS);
        assertThat(jwt.getClaims()).containsOnlyKeys("partner_id", "nbf", "exp");
    }

    @Test
    void theTokenIsGoodForThreeMinutesEitherSideOfTheAttempt() {
        String token = renderedToken();
        Instant now = GoldenFormatsTest.NOW;
        verifier(GoldenFormatsTest.SECRET, now.minusSeconds(179)).verify(token);
        verifier(GoldenFormatsTest.SECRET, now.plusSeconds(179)).verify(token);
        assertThatThrownBy(() ->
                        verifier(GoldenFormatsTest.SECRET, now.plusSeconds(181)).verify(token))
                .isInstanceOf(TokenExpiredException.class);
        assertThatThrownBy(() -> verifier(GoldenFormatsTest.SECRET, now.minusSeconds(181))
                        .verify(token))
                .isInstanceOf(JWTVerificationException.class);
    }

    @Test
    void anotherSecretOrTheBareBase64KeyDoesNotVerify() {
        String token = renderedToken();
        assertThatThrownBy(() -> verifier("whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", GoldenFormatsTest.NOW)
                        .verify(token))
                .isInstanceOf(SignatureVerificationException.class);
        // The key is the whole secret string, prefix included (docs/compatibility.md).
        String bare = GoldenFormatsTest.SECRET.substring("whsec_".length());
        assertThatThrownBy(() -> verifier(bare, GoldenFormatsTest.NOW).verify(token))
                .isInstanceOf(SignatureVerificationException.class);
    }

    @Test
    void aTokenForAnotherPartnerIsRefused() {
        String other = TimelinesAiFormat.jwt("ptn_someone_else", GoldenFormatsTest.SECRET, GoldenFormatsTest.NOW);
        assertThatThrownBy(() -> verifier(GoldenFormatsTest.SECRET, GoldenFormatsTest.NOW)
                        .verify(other))
                .isInstanceOf(JWTVerificationException.class);
    }
}

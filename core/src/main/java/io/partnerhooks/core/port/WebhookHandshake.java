package io.partnerhooks.core.port;

import java.util.Optional;

/**
 * Meta's verification GET against a partner's URL ({@code hub.mode=subscribe}, {@code hub.verify_token},
 * {@code hub.challenge}), through the same address guard as deliveries. Never throws.
 */
public interface WebhookHandshake {
    /** Empty when the URL answered 200 with exactly the challenge; otherwise what came back, in words. */
    Optional<String> verify(String url, String verifyToken, String challenge);
}

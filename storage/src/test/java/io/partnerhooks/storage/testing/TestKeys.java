package io.partnerhooks.storage.testing;

import io.partnerhooks.core.crypto.SecretBox;
import java.util.SplittableRandom;

/** A fixed master key for tests (never used outside them). */
public final class TestKeys {
    public static final String MASTER_KEY_BASE64 = "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=";

    private TestKeys() {}

    public static SecretBox box() {
        return new SecretBox(SecretBox.parseKey(MASTER_KEY_BASE64), new SplittableRandom(1));
    }
}

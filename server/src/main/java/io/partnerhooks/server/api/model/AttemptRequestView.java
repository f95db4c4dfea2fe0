package io.partnerhooks.server.api.model;

import io.partnerhooks.core.delivery.AttemptMaker;
import io.partnerhooks.core.domain.Attempt;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The request an attempt sent: its headers in the order sent (signatures masked) and its body. */
public record AttemptRequestView(Map<String, String> headers, String body) {
    public static AttemptRequestView of(Attempt a) {
        Map<String, String> headers = new LinkedHashMap<>();
        // Masked when stored; masked again here so rows written before signatures were masked never show one.
        a.requestHeaders()
                .forEach((k, v) -> headers.put(
                        k,
                        AttemptMaker.SIGNATURE_HEADERS.contains(k.toLowerCase(Locale.ROOT))
                                ? AttemptMaker.maskSignature(v)
                                : v));
        return new AttemptRequestView(headers, a.requestBody());
    }
}

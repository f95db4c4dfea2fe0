package io.partnerhooks.server.api.model;

/** 99digital's answer to its settings calls: {@code status} OK or FAIL, the URL, a numeric reason. */
@ApiSchema("Webhook99")
public record Webhook99Response(String status, String url, int reason) {
    public static Webhook99Response of(boolean ok, String url, int reason) {
        return new Webhook99Response(ok ? "OK" : "FAIL", url, reason);
    }
}

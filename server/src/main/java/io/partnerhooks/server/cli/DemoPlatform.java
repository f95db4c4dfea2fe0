package io.partnerhooks.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.delivery.Signer;
import io.partnerhooks.sdk.client.CreatedPartner;
import io.partnerhooks.sdk.client.Endpoint;
import io.partnerhooks.sdk.client.NewEndpoint;
import io.partnerhooks.sdk.client.PartnerClient;
import io.partnerhooks.sdk.client.PlatformClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code partnerhooks demo}'s make-believe platform. It sets up one partner with a workspace, a
 * channel (phone number) and three receivers, then, once a second, does what a platform's
 * services would: reports the workspace's usage so its quota and seats cross their thresholds (a
 * new billing period re-arms them), moves the channel through its lifecycle, and posts signed Meta
 * callbacks (a customer's messages and the statuses of replies) for the number. Everything goes
 * through the public HTTP APIs, as a real platform's calls would.
 */
final class DemoPlatform {
    static final String WORKSPACE = "ws_demo-bakery";
    static final String CLIENT = "cl_demo-bakery";
    static final String CHANNEL = "ch_demo-bakery";
    static final String PHONE = "+4915123456789";
    static final String PHONE_NUMBER_ID = "106540352242922";
    static final String WABA = "102290129340398";
    static final String CUSTOMER = "4917612345678";
    static final long MESSAGING_QUOTA = 500;
    static final long SEATS = 8;

    private static final List<String> LIFECYCLE = List.of(
            "submitted",
            "ready",
            "running",
            "live",
            "permission_granted",
            "billing_started",
            "template_messaging_enabled");
    private static final List<String> STATUSES = List.of("sent", "delivered", "read");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String operatorToken;
    private final String metaAppSecret;
    private final Clock clock;
    private final PrintStream out;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final PlatformClient platform;

    private CreatedPartner partner;
    private Instant periodStart;
    private long tick;
    private int lifecycleStep;

    DemoPlatform(String base, String operatorToken, String metaAppSecret, Clock clock, PrintStream out) {
        this.base = base;
        this.operatorToken = operatorToken;
        this.metaAppSecret = metaAppSecret;
        this.clock = clock;
        this.out = out;
        this.platform = PlatformClient.create(URI.create(base), operatorToken);
    }

    /** The partner and its two endpoints (each with its signing secret). */
    record Partner(CreatedPartner partner, Endpoint billing, Endpoint flaky) {}

    /** One partner; an endpoint for workspace and channel events on {@code billingUrl} and a second one on {@code flakyUrl}. */
    Partner setUpPartner(String billingUrl, String flakyUrl) {
        partner = platform.createPartner("Demo BSP");
        PartnerClient api = PartnerClient.create(URI.create(base), partner.apiKey());
        Endpoint billing = api.createEndpoint(
                NewEndpoint.of(billingUrl, "workspace.*", "channel.*").description("Billing and onboarding alerts"));
        Endpoint flaky = api.createEndpoint(NewEndpoint.of(flakyUrl, "workspace.*", "channel.*")
                .description("A receiver that is down for a while, then recovers"));
        return new Partner(partner, billing, flaky);
    }

    /**
     * The workspace's plan, the client and its channel (the phone number), and the number's
     * messaging webhook on {@code numbersUrl}; answers that webhook's signing secret.
     */
    String setUpNumber(String numbersUrl) throws IOException, InterruptedException {
        periodStart = clock.instant().truncatedTo(ChronoUnit.DAYS);
        putWorkspace();
        ObjectNode client =
                JSON.createObjectNode().put("partner_id", partner.id()).put("name", "Demo Bakery");
        call("PUT", "/platform/v1/clients/" + CLIENT, operatorToken, client);
        ObjectNode channel = JSON.createObjectNode()
                .put("partner_id", partner.id())
                .put("client_id", CLIENT)
                .put("phone_number", PHONE)
                .put("phone_name", "Demo Bakery")
                .put("phone_number_id", PHONE_NUMBER_ID)
                .put("waba_id", WABA);
        call("PUT", "/platform/v1/channels/" + CHANNEL, operatorToken, channel);
        ObjectNode webhook = JSON.createObjectNode().put("url", numbersUrl);
        return JSON.readTree(call("PUT", "/v1/channels/" + CHANNEL + "/webhook", partner.apiKey(), webhook))
                .path("secret")
                .asText();
    }

    /** A one-time dashboard link for the partner, good for an hour. */
    URI portalLink() {
        return platform.createPortalLink(partner.id(), 3600, false);
    }

    private void putWorkspace() throws IOException, InterruptedException {
        Instant end = periodStart.plus(30, ChronoUnit.DAYS);
        ObjectNode plan = JSON.createObjectNode()
                .put("partner_id", partner.id())
                .put("seats_purchased", SEATS)
                .put("messaging_quota", MESSAGING_QUOTA)
                .put("billing_period_start", periodStart.toString())
                .put("billing_period_end", end.toString());
        call("PUT", "/platform/v1/workspaces/" + WORKSPACE, operatorToken, plan);
    }

    /** One second of the platform's life. A failed call is printed and the next tick goes on. */
    void tick() {
        long n = ++tick;
        try {
            if (n % 40 == 0) {
                // a new billing period: usage starts from zero and every threshold is armed again
                periodStart = periodStart.plus(30, ChronoUnit.DAYS);
                putWorkspace();
            } else if (n % 2 == 0) {
                ObjectNode usage = JSON.createObjectNode()
                        .put("messaging_increment", 50)
                        .put("seats_used", Math.min(SEATS, (n % 40) / 4));
                call("POST", "/platform/v1/workspaces/" + WORKSPACE + "/usage", operatorToken, usage);
            }
            if (n % 3 == 0) {
                String to = lifecycleStep < LIFECYCLE.size()
                        ? LIFECYCLE.get(lifecycleStep)
                        : (lifecycleStep - LIFECYCLE.size()) % 2 == 0
                                ? "cancellation_requested"
                                : "cancellation_withdrawn";
                lifecycleStep++;
                call(
                        "POST",
                        "/platform/v1/channels/" + CHANNEL + "/transitions",
                        operatorToken,
                        JSON.createObjectNode().put("to", to));
            }
            if (n % 2 == 1) {
                meta(n % 4 == 1 ? message(n) : status(n));
            }
        } catch (IOException | RuntimeException e) {
            out.println("demo platform: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String message(long n) {
        long ts = clock.instant().getEpochSecond();
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + WABA + "\",\"changes\":[{\"value\":"
                + "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"" + PHONE.substring(1)
                + "\",\"phone_number_id\":\"" + PHONE_NUMBER_ID
                + "\"},\"contacts\":[{\"profile\":{\"name\":\"Jana\"},\"wa_id\":\""
                + CUSTOMER + "\"}],\"messages\":[{\"from\":\"" + CUSTOMER + "\",\"id\":\"wamid.DEMO" + n
                + "\",\"timestamp\":\""
                + ts + "\",\"type\":\"text\",\"text\":{\"body\":\"Two croissants for tomorrow, please (" + n
                + ")\"}}]},"
                + "\"field\":\"messages\"}]}]}";
    }

    private String status(long n) {
        long ts = clock.instant().getEpochSecond();
        String status = STATUSES.get((int) ((n / 4) % STATUSES.size()));
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + WABA + "\",\"changes\":[{\"value\":"
                + "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"" + PHONE.substring(1)
                + "\",\"phone_number_id\":\"" + PHONE_NUMBER_ID + "\"},\"statuses\":[{\"id\":\"wamid.REPLY" + (n / 12)
                + "\",\"status\":\"" + status + "\",\"timestamp\":\"" + ts + "\",\"recipient_id\":\"" + CUSTOMER
                + "\"}]},"
                + "\"field\":\"messages\"}]}]}";
    }

    /** A callback as Meta sends it: signed with the app secret in X-Hub-Signature-256. */
    private void meta(String body) throws IOException, InterruptedException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String signature = "sha256="
                + HexFormat.of().formatHex(Signer.hmacSha256(metaAppSecret.getBytes(StandardCharsets.UTF_8), bytes));
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/meta/webhook"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        HttpResponse<String> answer = http.send(r, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            out.println("demo platform: /meta/webhook answered " + answer.statusCode() + ": " + answer.body());
        }
    }

    private String call(String method, String path, String token, ObjectNode body)
            throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<String> answer = http.send(r, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw new IOException(method + " " + path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }
}

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed Meta callbacks at a running server, as fast as it answers, for a fixed time: how many
 * callbacks per second /meta/webhook accepts (200 = durable). Each callback is one inbound text
 * message with a fresh wamid, for a registered number.
 *
 * <p>java bench/meta/MetaLoad.java <base-url> <app-secret> <phone_number_id> <waba_id> <concurrency> <seconds>
 */
public class MetaLoad {
    public static void main(String[] a) throws Exception {
        String base = a[0], secret = a[1], pnid = a[2], waba = a[3];
        int concurrency = Integer.parseInt(a[4]);
        long seconds = Long.parseLong(a[5]);
        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        AtomicLong ok = new AtomicLong(), failed = new AtomicLong(), seq = new AtomicLong();
        long warmupEnd = System.nanoTime() + 3_000_000_000L;
        long end = warmupEnd + seconds * 1_000_000_000L;
        AtomicLong okAfterWarmup = new AtomicLong();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                pool.submit(() -> {
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                    while (System.nanoTime() < end) {
                        long n = seq.incrementAndGet();
                        byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + waba
                                + "\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":"
                                + "{\"display_phone_number\":\"4915123456789\",\"phone_number_id\":\"" + pnid + "\"},"
                                + "\"contacts\":[{\"profile\":{\"name\":\"Load\"},\"wa_id\":\"4917612345678\"}],"
                                + "\"messages\":[{\"from\":\"4917612345678\",\"id\":\"wamid.LOAD" + n + "\",\"timestamp\":"
                                + "\"1763800000\",\"text\":{\"body\":\"message " + n + "\"},\"type\":\"text\"}]},"
                                + "\"field\":\"messages\"}]}]}").getBytes(StandardCharsets.UTF_8);
                        String sig = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
                        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/meta/webhook"))
                                .header("Content-Type", "application/json").header("X-Hub-Signature-256", sig)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                        int status = http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status == 200) {
                            ok.incrementAndGet();
                            if (System.nanoTime() > warmupEnd) {
                                okAfterWarmup.incrementAndGet();
                            }
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
        }
        System.out.printf("[meta] concurrency=%d measured=%ds accepted=%d (after 3 s warm-up) failed=%d -> %.0f callbacks/s%n",
                concurrency, seconds, okAfterWarmup.get(), failed.get(), okAfterWarmup.get() / (double) seconds);
    }
}

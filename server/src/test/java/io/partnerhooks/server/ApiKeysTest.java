package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.UiBrowser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Partner API keys: issued, listed and revoked by the operator, rolled by the partner (issue 14). */
abstract class ApiKeysTest extends AppTestBase {
    private static void assertProblem(Api.Response r, int status, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        if (field != null) {
            assertThat(r.json().get("errors").findValuesAsText("field"))
                    .as(r.body())
                    .contains(field);
        }
    }

    private String keysPath(String partnerId) {
        return "/platform/v1/partners/" + partnerId + "/api-keys";
    }

    private List<String> keyIds(String partnerId) {
        Api.Response r = api.get(keysPath(partnerId), OPERATOR);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        r.json().get("data").forEach(k -> ids.add(k.get("id").asText()));
        return ids;
    }

    private int status(String key) {
        return api.get("/v1/endpoints", key).status();
    }

    private JsonNode auditEntries(String action) {
        Api.Response r = api.get("/platform/v1/audit-log?limit=100&action=" + action, OPERATOR);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("data");
    }

    @Test
    void theOperatorCreatesListsAndRevokesKeysAndARevokedKeyIs401AtOnce() {
        String[] p = partner("acme");
        List<String> first = keyIds(p[0]);
        assertThat(first).hasSize(1).allSatisfy(id -> assertThat(id).startsWith("key_"));

        Api.Response created = api.post(keysPath(p[0]), OPERATOR, null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode c = created.json();
        String second = c.get("api_key").asText();
        assertThat(second).startsWith("phk_").isNotEqualTo(p[1]);
        assertThat(c.get("id").asText()).startsWith("key_");
        assertThat(c.get("created_at").asText()).isEqualTo("2026-11-22T12:00:00.000Z");
        assertThat(status(second)).isEqualTo(200);
        assertThat(status(p[1])).isEqualTo(200);

        JsonNode data = api.get(keysPath(p[0]), OPERATOR).json().get("data");
        assertThat(data).hasSize(2);
        JsonNode listed = data.get(0).get("id").asText().equals(c.get("id").asText()) ? data.get(0) : data.get(1);
        assertThat(listed.get("id").asText()).isEqualTo(c.get("id").asText());
        assertThat(listed.get("prefix").asText()).isEqualTo(second.substring(0, 8));
        assertThat(second).startsWith(listed.get("prefix").asText());
        assertThat(listed.get("created_at").asText()).isEqualTo("2026-11-22T12:00:00.000Z");
        assertThat(listed.get("last_used_at").asText()).isEqualTo("2026-11-22T12:00:00.000Z");
        assertThat(listed.get("expires_at").isNull()).isTrue();
        assertThat(api.get(keysPath(p[0]), OPERATOR).body())
                .doesNotContain(second)
                .doesNotContain(p[1]);

        Api.Response revoked = api.call("DELETE", keysPath(p[0]) + "/" + first.get(0), OPERATOR, null);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);
        assertProblem(api.get("/v1/endpoints", p[1]), 401, "Authorization");
        assertThat(status(second)).isEqualTo(200);
        assertThat(keyIds(p[0])).containsExactly(c.get("id").asText());
        // the same revoke again, and a key id nobody has, are 404
        assertProblem(api.call("DELETE", keysPath(p[0]) + "/" + first.get(0), OPERATOR, null), 404, "key_id");
        assertProblem(api.call("DELETE", keysPath(p[0]) + "/key_nope", OPERATOR, null), 404, "key_id");
        assertProblem(api.call("DELETE", keysPath(p[0]) + "/junk", OPERATOR, null), 404, "key_id");

        JsonNode create = auditEntries("api_key.create").get(0);
        assertThat(create.get("actor").get("type").asText()).isEqualTo("operator");
        assertThat(create.get("partner_id").asText()).isEqualTo(p[0]);
        assertThat(create.get("target").get("id").asText())
                .isEqualTo(c.get("id").asText());
        assertThat(create.get("after").get("api_key").asText()).isEqualTo("****");
        JsonNode revoke = auditEntries("api_key.revoke").get(0);
        assertThat(revoke.get("target").get("id").asText()).isEqualTo(first.get(0));
        assertThat(revoke.get("before").get("id").asText()).isEqualTo(first.get(0));
        assertThat(revoke.get("after").isNull()).isTrue();
        String everything =
                api.get("/platform/v1/audit-log?limit=100", OPERATOR).body();
        assertThat(everything).doesNotContain(second).doesNotContain(p[1]);
        // the partner sees the same entries about its keys in its own log
        assertThat(api.get("/v1/audit-log", second).json().get("data").findValuesAsText("action"))
                .contains("api_key.create", "api_key.revoke");
    }

    @Test
    void revokingAKeyEndsTheDashboardSessionsOpenedWithIt() throws Exception {
        String[] p = partner("acme");
        String other =
                api.post(keysPath(p[0]), OPERATOR, null).json().get("api_key").asText();
        var withRevoked = new UiBrowser(app.port());
        withRevoked.signIn(p[1]);
        var withOther = new UiBrowser(app.port());
        withOther.signIn(other);
        assertThat(withRevoked.get("/ui/endpoints").statusCode()).isEqualTo(200);
        assertThat(api.call("DELETE", keysPath(p[0]) + "/" + oldestKey(p[0], other), OPERATOR, null)
                        .status())
                .isEqualTo(204);
        var r = withRevoked.get("/ui/endpoints");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("location")).contains("/ui/login");
        assertThat(withOther.get("/ui/endpoints").statusCode()).isEqualTo(200);
        // a revoked key cannot sign in again either
        var again = new UiBrowser(app.port());
        var form = again.get("/ui/login");
        assertThat(again.post("/ui/login", Map.of("csrf", again.csrf(form.body()), "key", p[1]))
                        .statusCode())
                .isEqualTo(401);
    }

    /** The id of the partner's key that is not {@code notThisKey} (by its prefix), when it has two. */
    private String oldestKey(String partnerId, String notThisKey) {
        for (JsonNode k : api.get(keysPath(partnerId), OPERATOR).json().get("data")) {
            if (!notThisKey.startsWith(k.get("prefix").asText())) {
                return k.get("id").asText();
            }
        }
        throw new AssertionError("no other key");
    }

    @Test
    void unknownPartnersAndAnotherPartnersKeysAre404() {
        String[] a = partner("a");
        String[] b = partner("b");
        String bKey = keyIds(b[0]).get(0);
        assertProblem(api.post(keysPath("ptn_nobody"), OPERATOR, null), 404, "partner_id");
        assertProblem(api.get(keysPath("ptn_nobody"), OPERATOR), 404, "partner_id");
        assertProblem(api.get(keysPath("nobody"), OPERATOR), 404, "partner_id");
        assertProblem(api.call("DELETE", keysPath("ptn_nobody") + "/" + bKey, OPERATOR, null), 404, "partner_id");
        assertProblem(api.call("DELETE", keysPath(a[0]) + "/" + bKey, OPERATOR, null), 404, "key_id");
        assertThat(status(b[1])).isEqualTo(200);
        assertThat(keyIds(b[0])).containsExactly(bKey);
        // the platform routes take the operator token, never a partner key
        assertProblem(api.get(keysPath(a[0]), a[1]), 401, null);
        assertProblem(api.post(keysPath(a[0]), a[1], null), 401, null);
        assertThat(auditEntries("api_key.revoke")).isEmpty();
    }

    @Test
    void rollingKeepsTheCallingKeyForADayByDefault() {
        String[] p = partner("acme");
        String old = keyIds(p[0]).get(0);
        Api.Response r = api.post("/v1/api-keys/roll", p[1], null);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode j = r.json();
        String fresh = j.get("api_key").asText();
        assertThat(fresh).startsWith("phk_");
        assertThat(j.get("id").asText()).startsWith("key_").isNotEqualTo(old);
        assertThat(j.get("current_expires_at").asText()).isEqualTo("2026-11-23T12:00:00.000Z");
        assertThat(status(fresh)).isEqualTo(200);
        assertThat(status(p[1])).isEqualTo(200);
        for (JsonNode k : api.get(keysPath(p[0]), OPERATOR).json().get("data")) {
            boolean current = k.get("id").asText().equals(old);
            assertThat(k.get("expires_at").asText())
                    .as(k.toString())
                    .isEqualTo(current ? "2026-11-23T12:00:00.000Z" : "null");
        }

        clock.advance(Duration.ofHours(24).minusSeconds(1));
        assertThat(status(p[1])).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        assertProblem(api.get("/v1/endpoints", p[1]), 401, "Authorization");
        assertThat(status(fresh)).isEqualTo(200);
        assertThat(keyIds(p[0])).containsExactly(j.get("id").asText());

        JsonNode roll = auditEntries("api_key.roll").get(0);
        assertThat(roll.get("actor").get("type").asText()).isEqualTo("partner");
        assertThat(roll.get("actor").get("partner_id").asText()).isEqualTo(p[0]);
        assertThat(roll.get("target").get("id").asText()).isEqualTo(j.get("id").asText());
        assertThat(roll.get("before").get("id").asText()).isEqualTo(old);
        assertThat(roll.get("after").get("rolled_key_id").asText()).isEqualTo(old);
        assertThat(roll.get("after").get("api_key").asText()).isEqualTo("****");
        assertThat(roll.get("after").get("current_expires_at").asText()).isEqualTo("2026-11-23T12:00:00.000Z");
        assertThat(api.get("/platform/v1/audit-log?limit=100", OPERATOR).body())
                .doesNotContain(fresh)
                .doesNotContain(p[1]);
    }

    @Test
    void rollingWithZeroStopsTheCallingKeyAtOnce() {
        String[] p = partner("acme");
        Api.Response r = api.post("/v1/api-keys/roll", p[1], "{\"expire_current_in_seconds\":0}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("current_expires_at").asText()).isEqualTo("2026-11-22T12:00:00.000Z");
        assertProblem(api.get("/v1/endpoints", p[1]), 401, "Authorization");
        assertProblem(api.post("/v1/api-keys/roll", p[1], null), 401, "Authorization");
        assertThat(status(r.json().get("api_key").asText())).isEqualTo(200);
        assertThat(keyIds(p[0])).containsExactly(r.json().get("id").asText());
    }

    @Test
    void rollingWithAnExplicitExpiryKeepsTheCallingKeyUntilThen() {
        String[] p = partner("acme");
        Api.Response r = api.post("/v1/api-keys/roll", p[1], "{\"expire_current_in_seconds\":3600}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("current_expires_at").asText()).isEqualTo("2026-11-22T13:00:00.000Z");
        String fresh = r.json().get("api_key").asText();
        // rolling the old key again cannot lengthen its life
        Api.Response again = api.post("/v1/api-keys/roll", p[1], "{\"expire_current_in_seconds\":86400}");
        assertThat(again.json().get("current_expires_at").asText()).isEqualTo("2026-11-22T13:00:00.000Z");
        clock.advance(Duration.ofMinutes(59));
        assertThat(status(p[1])).isEqualTo(200);
        clock.advance(Duration.ofMinutes(1));
        assertProblem(api.get("/v1/endpoints", p[1]), 401, "Authorization");
        assertThat(status(fresh)).isEqualTo(200);
        assertThat(status(again.json().get("api_key").asText())).isEqualTo(200);
        assertThat(auditEntries("api_key.roll")).hasSize(2);
    }

    @Test
    void badRollInputIs400NamingTheFieldAndChangesNothing() {
        String[] p = partner("acme");
        for (String body : List.of(
                "{\"expire_current_in_seconds\":-1}",
                "{\"expire_current_in_seconds\":2592001}",
                "{\"expire_current_in_seconds\":\"86400\"}",
                "{\"expire_current_in_seconds\":1.5}",
                "{\"expire_current_in_seconds\":99999999999999999999999}")) {
            assertProblem(api.post("/v1/api-keys/roll", p[1], body), 400, "expire_current_in_seconds");
        }
        assertProblem(api.post("/v1/api-keys/roll", p[1], "{\"expire_in\":5}"), 400, "expire_in");
        assertProblem(api.post("/v1/api-keys/roll", p[1], "[1]"), 400, "body");
        assertProblem(api.post(keysPath(p[0]), OPERATOR, "{\"name\":\"ci\"}"), 400, "name");
        assertThat(keyIds(p[0])).hasSize(1);
        assertThat(auditEntries("api_key.roll")).isEmpty();
        assertThat(auditEntries("api_key.create")).isEmpty();
        // the longest overlap allowed is 30 days
        Api.Response max = api.post("/v1/api-keys/roll", p[1], "{\"expire_current_in_seconds\":2592000}");
        assertThat(max.status()).as(max.body()).isEqualTo(201);
        assertThat(max.json().get("current_expires_at").asText()).isEqualTo("2026-12-22T12:00:00.000Z");
    }

    @Test
    void lastUseIsWrittenAtMostOnceAMinute() {
        String[] p = partner("acme");
        assertThat(api.get(keysPath(p[0]), OPERATOR)
                        .json()
                        .get("data")
                        .get(0)
                        .get("last_used_at")
                        .isNull())
                .isTrue();
        assertThat(status(p[1])).isEqualTo(200);
        clock.advance(Duration.ofSeconds(59));
        assertThat(status(p[1])).isEqualTo(200);
        assertThat(api.get(keysPath(p[0]), OPERATOR)
                        .json()
                        .get("data")
                        .get(0)
                        .get("last_used_at")
                        .asText())
                .isEqualTo("2026-11-22T12:00:00.000Z");
        clock.advance(Duration.ofSeconds(1));
        assertThat(status(p[1])).isEqualTo(200);
        assertThat(api.get(keysPath(p[0]), OPERATOR)
                        .json()
                        .get("data")
                        .get(0)
                        .get("last_used_at")
                        .asText())
                .isEqualTo("2026-11-22T12:01:00.000Z");
    }
}

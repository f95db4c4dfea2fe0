package io.partnerhooks.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.partnerhooks.core.catalog.EventCatalog.EventType;
import io.partnerhooks.core.catalog.EventCatalog.Source;
import io.partnerhooks.core.catalog.EventCatalog.Violation;
import io.partnerhooks.core.channel.ChannelLifecycle;
import io.partnerhooks.core.quota.Quota;
import io.partnerhooks.core.quota.QuotaRules;
import io.partnerhooks.core.quota.WorkspaceState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EventCatalogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventCatalog catalog = EventCatalog.load();

    /** Every row of the reference mapping table (§5.2), grouped rows written out one type at a time. */
    private static final List<String> MAPPING_TABLE = List.of(
            "client.created",
            "channel.created",
            "channel.submitted",
            "channel.ready",
            "channel.running",
            "channel.live",
            "channel.connected",
            "channel.disconnected",
            "channel.permission.granted",
            "channel.permission.revoked",
            "channel.billing.started",
            "channel.cancellation.requested",
            "channel.cancellation.withdrawn",
            "channel.cancellation.completed",
            "channel.template_messaging.enabled",
            "channel.hosting.migrated",
            "account.violation.reported",
            "account.restricted",
            "account.disabled",
            "account.updated",
            "account.capability.updated",
            "phone_number.quality.changed",
            "phone_number.limit.changed",
            "phone_number.name.updated",
            "template.status.changed",
            "template.quality.changed",
            "template.category.changed",
            "template.components.updated",
            "flow.status.changed",
            "flow.endpoint.availability.alerted",
            "flow.endpoint.error_rate.alerted",
            "flow.endpoint.latency.alerted",
            "flow.client.error_rate.alerted",
            "history.chunk.received",
            "contact.sync.updated",
            "contact.number.changed",
            "workspace.seats.exhausted",
            "workspace.quota.messaging.near_limit",
            "workspace.quota.messaging.exhausted",
            "workspace.quota.transactions.exhausted",
            "workspace.quota.api_calls.exhausted",
            "api_token.rotated",
            "builder.updated",
            "inbox.updated",
            "package.updated",
            // reactions are message.received with kind = reaction, so the table's message.reaction.updated is not a
            // type
            "message.received",
            "message.echoed",
            "message.sent",
            "message.delivered",
            "message.read",
            "message.failed",
            "message.held",
            "message.undeliverable",
            "message.error");

    /** Types the product has beyond that table. */
    private static final List<String> OURS = List.of(
            "workspace.quota.threshold_reached", // 99digital partner-set thresholds
            "whatsapp_account.connected",
            "whatsapp_account.disconnected", // TimelinesAI's account events, our names
            "account.payment.updated", // the "payment" field of 360dialog's via-WABA list
            // operational events Partnerhooks emits itself (issue 16 item 4)
            "endpoint.disabled",
            "endpoint.recovered",
            "endpoint.failing",
            "replay.completed");

    private static final Map<String, String> PROVIDER_NAMES = Map.of(
            "TimelinesAI",
            "timelinesai",
            "99digital",
            "99digital",
            "360dialog",
            "360dialog",
            "Meta",
            "meta",
            "Partnerhooks",
            "partnerhooks");

    // ---- coverage ----

    @Test
    void everyTypeOfTheMappingTableExists() {
        for (String type : MAPPING_TABLE) {
            assertThat(catalog.find(type)).as(type).isPresent();
        }
    }

    @Test
    void theCatalogHoldsExactlyTheMappedTypesAndOurOwn() {
        Set<String> expected = new HashSet<>(MAPPING_TABLE);
        expected.addAll(OURS);
        assertThat(expected).hasSize(MAPPING_TABLE.size() + OURS.size());
        assertThat(names(catalog.types())).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(catalog.find("message.reaction.updated")).isEmpty();
    }

    @Test
    void everySeedProviderContributesEvents() {
        Map<String, Set<String>> byProvider = new LinkedHashMap<>();
        for (EventType t : catalog.types()) {
            for (Source s : t.sources()) {
                byProvider.computeIfAbsent(s.provider(), k -> new HashSet<>()).add(s.event());
            }
        }
        assertThat(byProvider.get("timelinesai"))
                .contains(
                        "workspace:seats_full",
                        "workspace:quota_near_full:messaging",
                        "workspace:quota_full:messaging",
                        "workspace:quota_full:transactions",
                        "workspace:quota_full:api_calls",
                        "whatsapp_account:connected",
                        "whatsapp_account:disconnected",
                        "api_token:rotated");
        assertThat(byProvider.get("99digital")).contains("whatsapp", "builder", "online", "partners", "package");
        assertThat(byProvider.get("360dialog"))
                .contains(
                        "client_created",
                        "channel_created",
                        "channel_submitted",
                        "channel_ready",
                        "channel_running",
                        "channel_live",
                        "channel_permission_granted",
                        "channel_permission_revoked",
                        "channel_subscription_set",
                        "cancellation_request",
                        "cancellation_revoke",
                        "cancellation_processed",
                        "template_messaging_enabled",
                        "migrated_to_cloud_api",
                        "migrated_to_on_premise",
                        "account_violation",
                        "account_restriction",
                        "DISABLED_UPDATE",
                        "business_capability_update",
                        "phone_number_quality_changed",
                        "waba_template_quality_score_changed",
                        "waba_template_status_changed",
                        "waba_template_category_changed",
                        "ENDPOINT_AVAILABILITY",
                        "CLIENT_ERROR_RATE",
                        "ENDPOINT_ERROR_RATE",
                        "ENDPOINT_LATENCY",
                        "FLOW_STATUS_CHANGE",
                        "HISTORY",
                        "SMB_APP_STATE_SYNC");
        // the "via WABA" fields of seed 004 arrive in Meta's format
        assertThat(byProvider.get("meta"))
                .contains(
                        "phone_number_name_update",
                        "phone_number_quality_update",
                        "account_update",
                        "account_review_update",
                        "message_template_status_update",
                        "business_capability_update",
                        "template_category_update",
                        "payment_configuration_update",
                        "messages",
                        "smb_message_echoes");
    }

    @Test
    void reactionsAreReceivedMessagesOfKindReaction() {
        EventType received = catalog.find("message.received").orElseThrow();
        assertThat(received.sources()).anySatisfy(s -> assertThat(s.event()).isEqualTo("message:reaction"));
        ObjectNode reaction = example("message.received");
        assertThat(reaction.get("kind").asText()).isEqualTo("reaction");
        reaction.withObject("reaction").remove("emoji"); // a removed reaction carries no emoji
        assertThat(catalog.validate("message.received", reaction)).isEmpty();
    }

    // ---- schemas and examples ----

    @Test
    void everyExampleMatchesItsSchema() {
        for (EventType t : catalog.types()) {
            assertThat(catalog.validate(t.type(), read(t.exampleJson())))
                    .as(t.type())
                    .isEmpty();
        }
    }

    @Test
    void everySchemaIsADraft202012ObjectSchemaWithOurId() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12, b -> b.schemaLoader(l -> l.fetchRemoteResources(false)));
        Schema meta = registry.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        for (EventType t : catalog.types()) {
            JsonNode schema = read(t.schemaJson());
            assertThat(meta.validate(schema)).as(t.type()).isEmpty();
            assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(schema.path("$id").asText()).isEqualTo("urn:partnerhooks:event:" + t.type());
            assertThat(schema.path("type").asText()).as(t.type()).isEqualTo("object");
            assertThat(schema.path("required").isArray()
                            && !schema.path("required").isEmpty())
                    .as(t.type())
                    .isTrue();
            assertThat(schema.path("additionalProperties").asBoolean(false))
                    .as(t.type())
                    .isTrue();
            assertThat(read(t.exampleJson()).isObject()).as(t.type()).isTrue();
        }
    }

    @Test
    void everyIndexEntryHasDescriptionRouteAndSources() {
        Set<String> routes = Set.of(
                "POST /platform/v1/workspaces/{workspace_id}/usage",
                "POST /platform/v1/workspaces/{id}/whatsapp-accounts/{account_id}/connected",
                "POST /platform/v1/workspaces/{id}/whatsapp-accounts/{account_id}/disconnected",
                "POST /v1/workspaces/{id}/api-token/rotate",
                "PUT /platform/v1/clients/{client_id}",
                "PUT /platform/v1/channels/{channel_id}",
                "POST /platform/v1/channels/{channel_id}/transitions",
                "POST /meta/webhook",
                "POST /platform/v1/events",
                "PATCH /v1/endpoints/{id}",
                "POST /v1/endpoints/{id}/replay");
        for (EventType t : catalog.types()) {
            assertThat(t.description()).as(t.type()).isNotBlank();
            assertThat(t.domain())
                    .as(t.type())
                    .isEqualTo(t.type().substring(0, t.type().indexOf('.')));
            assertThat(t.route()).as(t.type()).isIn(routes);
            assertThat(t.sources()).as(t.type()).isNotEmpty().allSatisfy(s -> {
                assertThat(s.provider()).isIn(EventCatalog.PROVIDERS);
                assertThat(s.event()).isNotBlank();
            });
        }
    }

    @Test
    void routesFollowWhereEachFactEntersTheProduct() {
        assertThat(catalog.byPrefix("workspace"))
                .allSatisfy(t -> assertThat(t.route()).isEqualTo("POST /platform/v1/workspaces/{workspace_id}/usage"));
        assertThat(route("client.created")).isEqualTo("PUT /platform/v1/clients/{client_id}");
        assertThat(route("channel.created")).isEqualTo("PUT /platform/v1/channels/{channel_id}");
        assertThat(route("channel.live")).isEqualTo("POST /platform/v1/channels/{channel_id}/transitions");
        assertThat(route("channel.hosting.migrated")).isEqualTo("POST /platform/v1/channels/{channel_id}/transitions");
        assertThat(route("whatsapp_account.connected"))
                .isEqualTo("POST /platform/v1/workspaces/{id}/whatsapp-accounts/{account_id}/connected");
        assertThat(route("whatsapp_account.disconnected"))
                .isEqualTo("POST /platform/v1/workspaces/{id}/whatsapp-accounts/{account_id}/disconnected");
        assertThat(route("api_token.rotated")).isEqualTo("POST /v1/workspaces/{id}/api-token/rotate");
        assertThat(route("template.status.changed")).isEqualTo("POST /meta/webhook");
        assertThat(route("message.received")).isEqualTo("POST /meta/webhook");
        assertThat(route("builder.updated")).isEqualTo("POST /platform/v1/events");
    }

    // ---- what the product itself emits ----

    @Test
    void everyQuotaFiringMatchesTheCatalog() {
        Map<Quota, Long> limits = Map.of(Quota.MESSAGING, 10_000L, Quota.TRANSACTIONS, 500L, Quota.API_CALLS, 50_000L);
        Map<Quota, Long> used = Map.of(Quota.MESSAGING, 10_200L, Quota.TRANSACTIONS, 500L, Quota.API_CALLS, 50_001L);
        WorkspaceState full = new WorkspaceState(
                "ws_acme-support",
                "ptn_01JD3W2C8Q6VJ5X0B7M4R1T9ZA",
                10,
                10,
                limits,
                used,
                Instant.parse("2026-11-01T00:00:00Z"),
                Instant.parse("2026-12-01T00:00:00Z"));
        List<QuotaRules.Firing> fired = QuotaRules.evaluate(
                        full,
                        Set.of(),
                        List.of(
                                new QuotaRules.Threshold(Quota.MESSAGING, 75),
                                new QuotaRules.Threshold(Quota.API_CALLS, 100)))
                .fire();
        assertThat(fired)
                .extracting(QuotaRules.Firing::type)
                .contains(
                        "workspace.seats.exhausted",
                        "workspace.quota.messaging.near_limit",
                        "workspace.quota.messaging.exhausted",
                        "workspace.quota.transactions.exhausted",
                        "workspace.quota.api_calls.exhausted",
                        "workspace.quota.threshold_reached");
        for (QuotaRules.Firing f : fired) {
            assertThat(catalog.validate(f.type(), JSON.valueToTree(f.data())))
                    .as(f.type())
                    .isEmpty();
        }
    }

    @Test
    void everyChannelTransitionEmitsACatalogType() {
        Set<String> emitted = new HashSet<>();
        Set<ChannelLifecycle.State> seen = new HashSet<>();
        List<ChannelLifecycle.State> todo = new ArrayList<>(List.of(ChannelLifecycle.State.initial()));
        while (!todo.isEmpty()) {
            ChannelLifecycle.State s = todo.remove(todo.size() - 1);
            if (!seen.add(s)) {
                continue;
            }
            for (String to : ChannelLifecycle.TARGETS) {
                if (ChannelLifecycle.apply(s, to) instanceof ChannelLifecycle.Result.Moved m) {
                    emitted.add(m.eventType());
                    todo.add(m.next());
                }
            }
        }
        assertThat(emitted).isNotEmpty().allSatisfy(type -> {
            assertThat(catalog.find(type)).as(type).isPresent();
            assertThat(route(type)).isEqualTo("POST /platform/v1/channels/{channel_id}/transitions");
        });
    }

    // ---- validation ----

    @Test
    void aMissingRequiredFieldIsNamedByItsPath() {
        ObjectNode data = example("workspace.quota.messaging.near_limit");
        data.remove("quota_limit");
        assertThat(catalog.validate("workspace.quota.messaging.near_limit", data))
                .containsExactly(new Violation("data.quota_limit", "is required"));
    }

    @Test
    void aWrongTypeIsNamedByItsPath() {
        ObjectNode data = example("workspace.quota.messaging.near_limit");
        data.put("quota_limit", "ten thousand");
        List<Violation> v = catalog.validate("workspace.quota.messaging.near_limit", data);
        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("data.quota_limit");
            assertThat(x.message()).contains("integer");
        });
    }

    @Test
    void nestedFieldsAreNamedByTheirFullPath() {
        ObjectNode data = example("channel.created");
        data.withObject("setup_info").remove("phone_number");
        data.withObject("client").put("name", 42);
        assertThat(catalog.validate("channel.created", data))
                .extracting(Violation::path)
                .containsExactlyInAnyOrder("data.setup_info.phone_number", "data.client.name");

        ObjectNode template = example("template.status.changed");
        template.withObject("channel").put("phone_number", 4915123456789L);
        assertThat(catalog.validate("template.status.changed", template))
                .extracting(Violation::path)
                .containsExactly("data.channel.phone_number");
    }

    @Test
    void arrayItemsAreNamedByIndex() {
        ObjectNode data = example("message.failed");
        ((ObjectNode) data.withArray("errors").get(0)).remove("code");
        assertThat(catalog.validate("message.failed", data))
                .containsExactly(new Violation("data.errors[0].code", "is required"));

        data.set("errors", JsonNodeFactory.instance.arrayNode());
        assertThat(catalog.validate("message.failed", data))
                .extracting(Violation::path)
                .containsExactly("data.errors");
    }

    @Test
    void theKindOfAReceivedMessageDecidesWhichObjectIsRequired() {
        ObjectNode data = example("message.received");
        data.remove("reaction");
        assertThat(catalog.validate("message.received", data))
                .containsExactly(new Violation("data.reaction", "is required"));

        data.put("kind", "telepathy");
        assertThat(catalog.validate("message.received", data))
                .extracting(Violation::path)
                .containsExactly("data.kind");
    }

    @Test
    void constantsAndEnumsAreEnforced() {
        ObjectNode quota = example("workspace.quota.messaging.near_limit");
        quota.put("threshold", 100);
        assertThat(catalog.validate("workspace.quota.messaging.near_limit", quota))
                .extracting(Violation::path)
                .containsExactly("data.threshold");

        ObjectNode moved = example("channel.hosting.migrated");
        moved.put("to", "mainframe");
        assertThat(catalog.validate("channel.hosting.migrated", moved))
                .extracting(Violation::path)
                .containsExactly("data.to");
    }

    @Test
    void timesMustBeRfc3339() {
        ObjectNode data = example("workspace.quota.messaging.exhausted");
        data.put("billing_period_end", "next month");
        assertThat(catalog.validate("workspace.quota.messaging.exhausted", data))
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.path()).isEqualTo("data.billing_period_end");
                    assertThat(v.message()).contains("date-time");
                });
    }

    @Test
    void dataThatIsNotAnObjectIsRefusedAsAWhole() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        assertThat(catalog.validate("api_token.rotated", array))
                .extracting(Violation::path)
                .containsExactly("data");
        assertThat(catalog.validate("api_token.rotated", null))
                .extracting(Violation::path)
                .containsExactly("data");
        assertThat(catalog.validate("api_token.rotated", JsonNodeFactory.instance.objectNode()))
                .extracting(Violation::path)
                .containsExactlyInAnyOrder("data.workspace_id", "data.rotated_at");
    }

    @Test
    void fieldsProvidersAddAreAccepted() {
        ObjectNode data = example("channel.live");
        data.put("a_field_360dialog_added_later", true);
        assertThat(catalog.validate("channel.live", data)).isEmpty();
    }

    @Test
    void unknownTypesAreRefused() {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        assertThatThrownBy(() -> catalog.validate("channel.teleported", data))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel.teleported");
        assertThatThrownBy(() -> catalog.validate(null, data)).isInstanceOf(IllegalArgumentException.class);
        assertThat(catalog.find("channel.teleported")).isEmpty();
        assertThat(catalog.find(null)).isEmpty();
    }

    @Test
    void aSubscriptionPatternCoversTheCatalogOnlyWhenItMatchesSomeType() {
        assertThat(catalog.covers("*")).isTrue();
        assertThat(catalog.covers("workspace.seats.exhausted")).isTrue();
        assertThat(catalog.covers("workspace.*")).isTrue();
        assertThat(catalog.covers("workspace.quota.*")).isTrue();
        assertThat(catalog.covers("workspace.nope")).isFalse();
        assertThat(catalog.covers("workspace.quota"))
                .as("a prefix is not a type")
                .isFalse();
        assertThat(catalog.covers("work.*")).as("whole segments only").isFalse();
        assertThat(catalog.covers("nobody.*")).isFalse();
        assertThat(catalog.covers(null)).isFalse();
    }

    @Test
    void validationGivesTheSameAnswersFromManyThreads() throws Exception {
        ObjectNode bad = example("channel.created");
        bad.withObject("setup_info").put("phone_number", "not a number");
        List<Violation> expected = catalog.validate("channel.created", bad);
        assertThat(expected).extracting(Violation::path).containsExactly("data.setup_info.phone_number");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<List<Violation>>> jobs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                jobs.add(() -> catalog.validate("channel.created", bad));
            }
            for (Future<List<Violation>> f : pool.invokeAll(jobs)) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- a broken catalog is refused when it is read ----

    @Test
    void aTypeWithoutSchemaOrExampleOrWithABadExampleIsRefusedAtLoad() {
        assertThat(EventCatalog.read(overriding(Map.of()))).isNotNull();
        assertThatThrownBy(() -> EventCatalog.read(overriding(Map.of("catalog/channel.live/schema.json", ""))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("channel.live/schema.json");
        assertThatThrownBy(() -> EventCatalog.read(overriding(Map.of("catalog/channel.live/example.json", ""))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("channel.live/example.json");
        assertThatThrownBy(() -> EventCatalog.read(overriding(Map.of("catalog/api_token.rotated/example.json", "{}"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("api_token.rotated")
                .hasMessageContaining("data.workspace_id");
        String noRoute = "[{\"type\":\"api_token.rotated\",\"description\":\"x\",\"domain\":\"api_token\","
                + "\"sources\":[{\"provider\":\"timelinesai\",\"event\":\"api_token:rotated\"}]}]";
        assertThatThrownBy(() -> EventCatalog.read(overriding(Map.of("catalog/index.json", noRoute))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("route");
    }

    /** The real catalog resources, except the named ones (an empty text stands for a missing file). */
    private static ClassLoader overriding(Map<String, String> replaced) {
        ClassLoader real = EventCatalog.class.getClassLoader();
        return new ClassLoader(null) {
            @Override
            public InputStream getResourceAsStream(String name) {
                if (!replaced.containsKey(name)) {
                    return real.getResourceAsStream(name);
                }
                String text = replaced.get(name);
                return text.isEmpty() ? null : new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    // ---- lookup ----

    @Test
    void theCatalogIsReadOnce() {
        assertThat(EventCatalog.load()).isSameAs(catalog);
    }

    @Test
    void prefixesMatchWholeSegments() {
        List<String> quota = List.of(
                "workspace.quota.messaging.near_limit",
                "workspace.quota.messaging.exhausted",
                "workspace.quota.transactions.exhausted",
                "workspace.quota.api_calls.exhausted",
                "workspace.quota.threshold_reached");
        assertThat(names(catalog.byPrefix("workspace.quota"))).containsExactlyInAnyOrderElementsOf(quota);
        assertThat(names(catalog.byPrefix("workspace.quota.*"))).containsExactlyInAnyOrderElementsOf(quota);
        assertThat(names(catalog.byPrefix("workspace.quota.messaging")))
                .containsExactlyInAnyOrder(
                        "workspace.quota.messaging.near_limit", "workspace.quota.messaging.exhausted");
        assertThat(names(catalog.byPrefix("channel.cancellation")))
                .containsExactlyInAnyOrder(
                        "channel.cancellation.requested",
                        "channel.cancellation.withdrawn",
                        "channel.cancellation.completed");
        assertThat(names(catalog.byPrefix("flow")))
                .hasSize(5)
                .allSatisfy(n -> assertThat(n).startsWith("flow."));
        assertThat(catalog.byPrefix("work")).isEmpty();
        assertThat(catalog.byPrefix("message.sent")).extracting(EventType::type).containsExactly("message.sent");
        assertThat(catalog.byPrefix("*")).hasSameSizeAs(catalog.types());
    }

    @Test
    void eachTypeCarriesItsSchemaAndExampleText() {
        EventType t = catalog.find("channel.live").orElseThrow();
        assertThat(read(t.schemaJson()).path("$id").asText()).isEqualTo("urn:partnerhooks:event:channel.live");
        assertThat(read(t.exampleJson()).path("setup_info").path("phone_number").asText())
                .startsWith("+");
        assertThat(t.domain()).isEqualTo("channel");
        assertThat(t.sources()).containsExactly(new Source("360dialog", "channel_live"));
    }

    // ---- docs/events.md ----

    @Test
    void theDocsTableListsExactlyTheCatalogWithRoutesSchemasAndExamples() throws IOException {
        Path docs = docsDir();
        List<String[]> rows = eventTableRows(Files.readString(docs.resolve("events.md"), StandardCharsets.UTF_8));
        assertThat(rows).as("rows of the event table in docs/events.md").isNotEmpty();

        Set<String> typesInTable = new HashSet<>();
        Set<String> sourcesInTable = new HashSet<>();
        for (String[] row : rows) {
            String line = String.join(" | ", row);
            assertThat(row).as(line).hasSize(6);
            String type = code(row[2]);
            assertThat(type).as("type in " + line).isNotNull();
            EventType t = catalog.find(type).orElse(null);
            assertThat(t).as("%s is in the catalog", type).isNotNull();
            String route = code(row[3]);
            assertThat(route).as("route in " + line).isNotBlank().isEqualTo(t.route());
            assertLinks(docs, row[4], type, "schema.json", line);
            assertLinks(docs, row[5], type, "example.json", line);
            String provider = PROVIDER_NAMES.get(row[0].strip());
            assertThat(provider).as("provider in " + line).isNotNull();
            typesInTable.add(type);
            sourcesInTable.add(type + " " + provider + " " + row[1].strip());
        }
        assertThat(typesInTable).containsExactlyInAnyOrderElementsOf(names(catalog.types()));
        for (EventType t : catalog.types()) {
            for (Source s : t.sources()) {
                String cell = "`" + s.event() + "`" + (s.when() == null ? "" : " (" + s.when() + ")");
                assertThat(sourcesInTable)
                        .as("docs row for %s from %s %s", t.type(), s.provider(), s.event())
                        .contains(t.type() + " " + s.provider() + " " + cell);
            }
        }
    }

    private static void assertLinks(Path docs, String cell, String type, String file, String line) {
        Matcher m = Pattern.compile("\\]\\(([^)]+)\\)").matcher(cell);
        assertThat(m.find()).as(file + " link in " + line).isTrue();
        String target = m.group(1);
        assertThat(target).as(file + " link in " + line).endsWith("/catalog/" + type + "/" + file);
        assertThat(docs.resolve(target).normalize()).as(file + " of " + type).isRegularFile();
    }

    /** The rows of the table under "## Event table", each split into its cells. */
    static List<String[]> eventTableRows(String markdown) {
        List<String[]> rows = new ArrayList<>();
        boolean inSection = false;
        boolean header = true;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("## ")) {
                inSection = line.strip().equals("## Event table");
                continue;
            }
            if (!inSection || !line.startsWith("|")) {
                continue;
            }
            if (header) { // column titles, then the |---| line
                header = !line.startsWith("|---");
                continue;
            }
            String inner = line.strip();
            inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
            String[] cells = inner.split("(?<!\\\\)\\|", -1);
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cells[i].strip().replace("\\|", "|");
            }
            rows.add(cells);
        }
        return rows;
    }

    private static String code(String cell) {
        Matcher m = Pattern.compile("`([^`]+)`").matcher(cell);
        return m.find() ? m.group(1) : null;
    }

    /** The repository's docs/ folder, found from wherever the build runs (module or root). */
    private static Path docsDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docs").resolve("events.md"))) {
                return p.resolve("docs");
            }
        }
        throw new AssertionError("no docs/events.md above " + Path.of("").toAbsolutePath());
    }

    // ---- helpers ----

    private String route(String type) {
        return catalog.find(type).orElseThrow().route();
    }

    private ObjectNode example(String type) {
        return (ObjectNode) read(catalog.find(type).orElseThrow().exampleJson());
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> names(List<EventType> types) {
        return types.stream().map(EventType::type).toList();
    }
}

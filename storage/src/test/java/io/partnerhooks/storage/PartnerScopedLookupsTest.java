package io.partnerhooks.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.core.domain.ApiKey;
import io.partnerhooks.core.domain.Entity;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.id.ApiKeyId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.id.WorkspaceId;
import io.partnerhooks.core.port.EntityStore.Outcome;
import io.partnerhooks.core.port.WorkspaceStore.Change;
import io.partnerhooks.core.port.WorkspaceStore.Plan;
import io.partnerhooks.core.port.WorkspaceStore.Publication;
import io.partnerhooks.core.quota.WorkspaceState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Entity and workspace lookups by partner: another partner's row is not found, while the platform
 * side ({@code findAny}) sees every partner's. Run on each database by a subclass.
 */
public abstract class PartnerScopedLookupsTest {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    protected JdbcStore store;
    private IdGenerator ids;

    protected abstract JdbcStore openStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openStore();
        ids = new IdGenerator(Clock.fixed(T0, ZoneOffset.UTC), new SplittableRandom(7));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Partner partner(String name) {
        Partner p = new Partner(new PartnerId(ids.next(Ids.PARTNER)), name, T0);
        store.partners()
                .insert(
                        p,
                        new ApiKey(new ApiKeyId(ids.next(Ids.API_KEY)), p.id(), "phk_", T0, null, null),
                        "hash-" + p.id().value());
        return p;
    }

    @Test
    void anEntityIsFoundForItsPartnerOnly() {
        Partner a = partner("a");
        Partner b = partner("b");
        store.entities()
                .change(
                        "client",
                        "cl_1",
                        current -> new Outcome(
                                new Entity("client", "cl_1", a.id().value(), "{\"id\":\"cl_1\"}"), List.of()),
                        T0);

        assertThat(store.entities().find(a.id(), "client", "cl_1"))
                .map(Entity::stateJson)
                .contains("{\"id\":\"cl_1\"}");
        assertThat(store.entities().find(b.id(), "client", "cl_1")).isEmpty();
        assertThat(store.entities().find(a.id(), "channel", "cl_1")).isEmpty();
        assertThat(store.entities().findAny("client", "cl_1"))
                .map(Entity::partnerId)
                .contains(a.id().value());
        assertThat(store.entities().findAny("client", "cl_2")).isEmpty();
    }

    @Test
    void aWorkspaceAndWhatFiredInItAreFoundForItsPartnerOnly() {
        Partner a = partner("a");
        Partner b = partner("b");
        WorkspaceId ws = new WorkspaceId("ws_1");
        Event fired = new Event(
                new EventId(ids.next(Ids.EVENT)),
                a.id(),
                "workspace.seats.exhausted",
                "{\"workspace_id\":\"ws_1\"}",
                "{}",
                T0,
                null);
        store.workspaces()
                .apply(
                        List.of(new Change(
                                ws,
                                before -> new WorkspaceState(
                                        "ws_1",
                                        a.id().value(),
                                        5,
                                        5,
                                        Map.of(),
                                        Map.of(),
                                        T0,
                                        T0.plus(Duration.ofDays(30))))),
                        (after, firedBefore) ->
                                new Plan(List.of(new Publication("seats:100", fired, List.of())), Set.of()),
                        T0);

        assertThat(store.workspaces().find(a.id(), ws))
                .map(WorkspaceState::seatsUsed)
                .contains(5L);
        assertThat(store.workspaces().find(b.id(), ws)).isEmpty();
        assertThat(store.workspaces().findAny(ws))
                .map(WorkspaceState::partnerId)
                .contains(a.id().value());
        assertThat(store.workspaces().findAny(new WorkspaceId("ws_2"))).isEmpty();
        assertThat(store.workspaces().firedThisPeriod(a.id(), ws)).containsExactly("seats:100");
        assertThat(store.workspaces().firedThisPeriod(b.id(), ws)).isEmpty();
    }
}

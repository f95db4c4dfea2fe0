package io.partnerhooks.storage;

import io.partnerhooks.core.crypto.SecretBox;
import io.partnerhooks.core.port.AuditStore;
import io.partnerhooks.core.port.DeliveryQueue;
import io.partnerhooks.core.port.EndpointStore;
import io.partnerhooks.core.port.EntityStore;
import io.partnerhooks.core.port.EventStore;
import io.partnerhooks.core.port.MetaInbox;
import io.partnerhooks.core.port.PartnerStore;
import io.partnerhooks.core.port.PortalLinkStore;
import io.partnerhooks.core.port.ReplayStore;
import io.partnerhooks.core.port.RetentionStore;
import io.partnerhooks.core.port.Store;
import io.partnerhooks.core.port.StreamStore;
import io.partnerhooks.core.port.Transactions;
import io.partnerhooks.core.port.WorkspaceStore;
import io.partnerhooks.storage.jdbc.Dialect;
import io.partnerhooks.storage.jdbc.GroupCommit;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.util.function.Supplier;

/** The store on one JDBC database; SQLite and PostgreSQL differ only in their {@link Dialect}. */
public final class JdbcStore implements Store {
    private final Jdbc jdbc;
    private final Dialect dialect;
    private final AutoCloseable pool;
    private final JdbcPartnerStore partners;
    private final JdbcEndpointStore endpoints;
    private final JdbcEventStore events;
    private final JdbcDeliveryQueue queue;
    private final JdbcWorkspaceStore workspaces;
    private final JdbcEntityStore entities;
    private final JdbcMetaInbox metaInbox;
    private final JdbcAuditStore audit;
    private final JdbcRetentionStore retention;
    private final JdbcPortalLinkStore portalLinks;
    private final JdbcStreamStore stream;
    private final JdbcReplayStore replays;
    private final GroupCommit writes;

    JdbcStore(Jdbc jdbc, Dialect dialect, AutoCloseable pool, SecretBox box) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.pool = pool;
        this.partners = new JdbcPartnerStore(jdbc);
        this.endpoints = new JdbcEndpointStore(jdbc, box);
        // publishes and delivery outcomes share commits (see GroupCommit)
        this.writes = new GroupCommit(jdbc, "group-commit-" + dialect.name(), dialect.groupCommitWriters(), 256);
        // every store that writes events or new deliveries goes through this one writer
        EventWriter writer = new EventWriter(dialect, writes);
        this.events = new JdbcEventStore(jdbc, writer);
        this.queue = new JdbcDeliveryQueue(jdbc, dialect, new JdbcEndpointStore.Mapper(box), writes);
        this.workspaces = new JdbcWorkspaceStore(jdbc, dialect, writer);
        this.entities = new JdbcEntityStore(jdbc, dialect, writer);
        this.metaInbox = new JdbcMetaInbox(jdbc, writes, writer);
        this.audit = new JdbcAuditStore(jdbc);
        this.retention = new JdbcRetentionStore(jdbc, dialect);
        this.portalLinks = new JdbcPortalLinkStore(jdbc);
        this.stream = new JdbcStreamStore(jdbc, dialect);
        this.replays = new JdbcReplayStore(jdbc, writer);
    }

    public Dialect dialect() {
        return dialect;
    }

    public Jdbc jdbc() {
        return jdbc;
    }

    @Override
    public PartnerStore partners() {
        return partners;
    }

    @Override
    public EndpointStore endpoints() {
        return endpoints;
    }

    @Override
    public EventStore events() {
        return events;
    }

    @Override
    public DeliveryQueue queue() {
        return queue;
    }

    @Override
    public WorkspaceStore workspaces() {
        return workspaces;
    }

    @Override
    public EntityStore entities() {
        return entities;
    }

    @Override
    public MetaInbox metaInbox() {
        return metaInbox;
    }

    @Override
    public AuditStore audit() {
        return audit;
    }

    @Override
    public RetentionStore retention() {
        return retention;
    }

    @Override
    public PortalLinkStore portalLinks() {
        return portalLinks;
    }

    @Override
    public StreamStore stream() {
        return stream;
    }

    @Override
    public ReplayStore replays() {
        return replays;
    }

    @Override
    public Transactions transactions() {
        return new Transactions() {
            @Override
            public <T> T inTransaction(Supplier<T> work) {
                return jdbc.joined(work);
            }

            @Override
            public void afterCommit(Runnable action) {
                jdbc.afterCommit(action);
            }
        };
    }

    @Override
    public boolean ping() {
        try {
            return jdbc.query("SELECT 1", rs -> rs.getInt(1)).size() == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private volatile AutoCloseable closeLast;

    /** Something to close after the pool (the data directory's lock). */
    void onClose(AutoCloseable last) {
        this.closeLast = last;
    }

    @Override
    public void close() {
        writes.close();
        try {
            pool.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the connection pool failed", e);
        } finally {
            AutoCloseable last = closeLast;
            if (last != null) {
                try {
                    last.close();
                } catch (Exception e) {
                    // the lock goes with the process anyway
                }
            }
        }
    }
}

package io.partnerhooks.core.port;

/** Everything the application needs from a database, as one handle to open and close. */
public interface Store extends AutoCloseable {
    PartnerStore partners();

    EndpointStore endpoints();

    EventStore events();

    DeliveryQueue queue();

    WorkspaceStore workspaces();

    EntityStore entities();

    MetaInbox metaInbox();

    AuditStore audit();

    RetentionStore retention();

    PortalLinkStore portalLinks();

    StreamStore stream();

    ReplayStore replays();

    /** Units of work spanning several of the stores above. */
    Transactions transactions();

    /** True when a trivial query succeeds now (for /readyz). */
    boolean ping();

    @Override
    void close();
}

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

    /** True when a trivial query succeeds now (for /readyz). */
    boolean ping();

    @Override
    void close();
}

package io.partnerhooks.server.delivery;

import java.net.UnknownHostException;

/** Every address the host resolved to is forbidden by the address guard; no connection was made. */
public final class BlockedAddressException extends UnknownHostException {
    public BlockedAddressException(String reason) {
        super(reason);
    }
}

package io.partnerhooks.core.domain;

import io.partnerhooks.core.address.AddressPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** What an endpoint URL may be: http(s), at most 512 characters, no user-info, a port
 * from 1 to 65535, no forbidden literal host. */
public final class UrlRules {
    public static final int MAX_LENGTH = 512;

    private UrlRules() {}

    /** Empty when acceptable; otherwise what is wrong, in words a partner can act on. */
    public static Optional<String> check(String url, AddressPolicy policy) {
        if (url == null || url.isBlank()) {
            return Optional.of("must not be empty");
        }
        if (url.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must use http or https");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not contain credentials (user-info)");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            // A port too large for an int makes URI give up on the host part altogether.
            if (uri.getRawAuthority() != null && uri.getRawAuthority().matches(".*:[0-9]{6,}")) {
                return Optional.of("has a port past 65535; a port must be from 1 to 65535");
            }
            return Optional.of("must have a host");
        }
        // URI takes any digits as a port; 0 and anything past 65535 would only fail every attempt.
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            return Optional.of("has port " + uri.getPort() + "; a port must be from 1 to 65535");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not have a fragment");
        }
        return policy.refuseLiteralHost(host).map(reason -> "points at a forbidden address (" + reason + ")");
    }
}

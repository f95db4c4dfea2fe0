package io.partnerhooks.server;

import io.partnerhooks.server.Config.InvalidConfigException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * How deliveries leave the host: through an HTTP proxy (EGRESS_PROXY, {@code http://[user:pass@]host:port}),
 * so partners can allow-list the proxy's one address, and/or from one local address (EGRESS_BIND_ADDRESS).
 */
public record Egress(URI proxy, String proxyUser, String proxyPassword, InetAddress bindAddress) {
    public static final Egress NONE = new Egress(null, null, null, null);

    public static Egress parse(String proxyText, String bindText) {
        URI proxy = null;
        String user = null;
        String password = null;
        String p = proxyText == null ? "" : proxyText.strip();
        if (!p.isEmpty()) {
            URI u;
            try {
                u = new URI(p);
            } catch (URISyntaxException e) {
                throw new InvalidConfigException("EGRESS_PROXY is not a URL: " + e.getReason());
            }
            if (!"http".equalsIgnoreCase(u.getScheme())
                    || u.getHost() == null
                    || u.getPort() < 1
                    || u.getPort() > 65535
                    || (u.getRawPath() != null
                            && !u.getRawPath().isEmpty()
                            && !u.getRawPath().equals("/"))
                    || u.getRawQuery() != null
                    || u.getRawFragment() != null) {
                throw new InvalidConfigException(
                        "EGRESS_PROXY must look like http://host:port or http://user:password@host:port");
            }
            if (u.getRawUserInfo() != null) {
                String[] up = u.getRawUserInfo().split(":", 2);
                user = URLDecoder.decode(up[0], StandardCharsets.UTF_8);
                password = up.length > 1 ? URLDecoder.decode(up[1], StandardCharsets.UTF_8) : "";
            }
            proxy = URI.create("http://" + u.getHost() + ":" + u.getPort());
        }
        InetAddress bind = null;
        String b = bindText == null ? "" : bindText.strip();
        if (!b.isEmpty()) {
            // a literal only: a name would need a DNS lookup at start-up and could change
            if (!b.matches("[0-9.]+|\\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*\\]?")) {
                throw new InvalidConfigException(
                        "EGRESS_BIND_ADDRESS must be an IP address of this host, got '" + b + "'");
            }
            try {
                bind = InetAddress.getByName(b.replace("[", "").replace("]", ""));
            } catch (UnknownHostException e) {
                throw new InvalidConfigException(
                        "EGRESS_BIND_ADDRESS must be an IP address of this host, got '" + b + "'");
            }
        }
        return new Egress(proxy, user, password, bind);
    }

    String describe() {
        return "EGRESS_PROXY="
                + (proxy == null
                        ? "(none)"
                        : proxy + (proxyUser == null ? "" : " (user " + proxyUser + ", password ****)"))
                + " EGRESS_BIND_ADDRESS=" + (bindAddress == null ? "(any)" : bindAddress.getHostAddress());
    }
}

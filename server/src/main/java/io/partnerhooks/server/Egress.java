package io.partnerhooks.server;

import io.partnerhooks.server.Config.InvalidConfigException;

/**
 * How deliveries leave the host: through an HTTP proxy (EGRESS_PROXY, {@code http://[user:pass@]host:port}),
 * so partners can allow-list the proxy's one address, and/or from one local address (EGRESS_BIND_ADDRESS).
 */
public record Egress(java.net.URI proxy, String proxyUser, String proxyPassword, java.net.InetAddress bindAddress) {
    public static final Egress NONE = new Egress(null, null, null, null);

    public static Egress parse(String proxyText, String bindText) {
        java.net.URI proxy = null;
        String user = null;
        String password = null;
        String p = proxyText == null ? "" : proxyText.strip();
        if (!p.isEmpty()) {
            java.net.URI u;
            try {
                u = new java.net.URI(p);
            } catch (java.net.URISyntaxException e) {
                throw new InvalidConfigException("EGRESS_PROXY is not a URL: " + e.getReason());
            }
            if (!"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null || u.getPort() < 1 || u.getPort() > 65535
                    || (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))
                    || u.getRawQuery() != null || u.getRawFragment() != null) {
                throw new InvalidConfigException("EGRESS_PROXY must look like http://host:port or http://user:password@host:port");
            }
            if (u.getRawUserInfo() != null) {
                String[] up = u.getRawUserInfo().split(":", 2);
                user = java.net.URLDecoder.decode(up[0], java.nio.charset.StandardCharsets.UTF_8);
                password = up.length > 1 ? java.net.URLDecoder.decode(up[1], java.nio.charset.StandardCharsets.UTF_8) : "";
            }
            proxy = java.net.URI.create("http://" + u.getHost() + ":" + u.getPort());
        }
        java.net.InetAddress bind = null;
        String b = bindText == null ? "" : bindText.strip();
        if (!b.isEmpty()) {
            // a literal only: a name would need a DNS lookup at start-up and could change
            if (!b.matches("[0-9.]+|\\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*\\]?")) {
                throw new InvalidConfigException("EGRESS_BIND_ADDRESS must be an IP address of this host, got '" + b + "'");
            }
            try {
                bind = java.net.InetAddress.getByName(b.replace("[", "").replace("]", ""));
            } catch (java.net.UnknownHostException e) {
                throw new InvalidConfigException("EGRESS_BIND_ADDRESS must be an IP address of this host, got '" + b + "'");
            }
        }
        return new Egress(proxy, user, password, bind);
    }

    String describe() {
        return "EGRESS_PROXY=" + (proxy == null ? "(none)" : proxy + (proxyUser == null ? "" : " (user " + proxyUser + ", password ****)"))
                + " EGRESS_BIND_ADDRESS=" + (bindAddress == null ? "(any)" : bindAddress.getHostAddress());
    }
}

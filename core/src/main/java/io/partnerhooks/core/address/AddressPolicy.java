package io.partnerhooks.core.address;

import static io.partnerhooks.core.address.IpLiterals.embeddedTail;
import static io.partnerhooks.core.address.IpLiterals.format;
import static io.partnerhooks.core.address.IpLiterals.isMapped;
import static io.partnerhooks.core.address.IpLiterals.u16;
import static io.partnerhooks.core.address.IpLiterals.zeros;

import java.net.IDN;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * SSRF guard for the webhook sender.
 *
 * <p>Partners choose the URLs we POST to, so without a guard anyone could point an endpoint at our
 * loopback, the private network or the cloud metadata service and use us as a proxy. The decisive
 * check is {@link #refusalReason(InetAddress)}, applied to every address a host name resolves to
 * right before connecting: checking names instead of resolved addresses would be defeated by DNS
 * records that point at internal addresses. {@link #refuseLiteralHost(String)} is only an early,
 * friendlier rejection at endpoint creation for hosts that are already IP literals.
 *
 * <p>Operators that really do need internal targets (local development, a partner reachable over
 * a private link) list them as CIDRs; an address inside one of those is allowed whatever its range.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class AddressPolicy {

    private static final String MISSING_HOST = "missing host";

    // Order matters where blocks nest: the narrower, more telling label must win.
    private static final List<Range> V4_RANGES = List.of(
            range("0.0.0.0/32", "unspecified"),
            range("0.0.0.0/8", "this-network"),
            range("10.0.0.0/8", "private"),
            range("100.64.0.0/10", "shared (CGNAT)"),
            range("127.0.0.0/8", "loopback"),
            range("169.254.0.0/16", "link-local"),
            range("172.16.0.0/12", "private"),
            range("192.0.0.0/24", "IETF protocol assignment"),
            range("192.0.2.0/24", "documentation"),
            range("192.168.0.0/16", "private"),
            range("198.18.0.0/15", "benchmarking"),
            range("198.51.100.0/24", "documentation"),
            range("203.0.113.0/24", "documentation"),
            range("224.0.0.0/4", "multicast"),
            range("255.255.255.255/32", "broadcast"),
            range("240.0.0.0/4", "reserved"));

    // Forms that carry an IPv4 address (mapped, NAT64, 6to4, ...) are not here: they are judged
    // by the address they carry, see internalV6Reason.
    private static final List<Range> V6_RANGES = List.of(
            range("fe80::/10", "link-local"),
            range("fec0::/10", "site-local"),
            range("fc00::/7", "unique-local"),
            range("ff00::/8", "multicast"),
            range("2001:db8::/32", "documentation"),
            range("3fff::/20", "documentation"),
            range("100::/64", "discard"));

    private final List<Cidr> allowed;

    private AddressPolicy(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /**
     * Parses a comma-separated list of CIDRs (IPv4 or IPv6, e.g. {@code "127.0.0.0/8, ::1/128, 10.1.2.3"};
     * a bare address means /32 or /128). A null, empty or blank string means no allow-list; empty
     * entries between commas are ignored.
     *
     * @throws IllegalArgumentException naming the first entry that is not a valid CIDR
     */
    public static AddressPolicy parse(String allowedTargetsCsv) {
        // Null is accepted like blank because the value usually comes from an optional setting.
        if (allowedTargetsCsv == null || allowedTargetsCsv.isBlank()) {
            return new AddressPolicy(List.of());
        }
        List<Cidr> cidrs = new ArrayList<>();
        for (String entry : allowedTargetsCsv.split(",")) {
            String trimmed = entry.strip();
            if (!trimmed.isEmpty()) {
                cidrs.add(Cidr.parse(trimmed));
            }
        }
        return new AddressPolicy(cidrs);
    }

    /** A policy without allow-list: every internal address is refused. Same as {@code parse("")}. */
    public static AddressPolicy denyInternal() {
        return parse("");
    }

    /**
     * Empty when the address may be contacted; otherwise a short human reason such as
     * {@code "loopback address 127.0.0.1"} or {@code "private address 10.0.0.5"}.
     */
    public Optional<String> refusalReason(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return Optional.ofNullable(reasonFor(address.getAddress()));
    }

    /** True when the address may be contacted, i.e. {@code refusalReason(address).isEmpty()}. */
    public boolean allows(InetAddress address) {
        return refusalReason(address).isEmpty();
    }

    /**
     * Early check at endpoint creation for the host part of a URL, as {@link java.net.URI#getHost()}
     * returns it (IPv6 in brackets). When the host is an IP literal in any spelling inet_aton(3)
     * or an IPv6 parser would accept, and that address is refused, returns the reason. Returns empty
     * for DNS names and for allowed literals; names are vetted after resolution instead. Never
     * performs a DNS lookup.
     *
     * <p>Null or empty hosts are refused: {@code URI#getHost()} returns null for hosts it cannot
     * parse (for example {@code http://0x7f.1/}), and such a URL must not slip through unchecked.
     * Text that claims to be an IPv6 literal (brackets or a colon) but does not parse is refused too.
     */
    public Optional<String> refuseLiteralHost(String host) {
        if (host == null || host.isEmpty()) {
            return Optional.of(MISSING_HOST);
        }
        String reason = literalReason(host);
        if (reason == null && !isAscii(host)) {
            // IDNA mapping, which some URL parsers and resolvers apply, turns full-width digits and
            // ideographic full stops into ASCII ones, so such a host can end up at 127.0.0.1.
            String ascii = toAsciiOrNull(host);
            if (ascii != null && !ascii.equals(host)) {
                reason = literalReason(ascii);
            }
        }
        return Optional.ofNullable(reason);
    }

    private record Range(Cidr block, String kind) {}

    private static Range range(String cidr, String kind) {
        return new Range(Cidr.parse(cidr), kind);
    }

    private String reasonFor(byte[] address) {
        if (isAllowListed(address)) {
            return null;
        }
        return address.length == 4 ? internalV4Reason(address) : internalV6Reason(address);
    }

    private boolean isAllowListed(byte[] address) {
        byte[] mappedV4 = address.length == 16 && isMapped(address) ? embeddedTail(address) : null;
        for (Cidr cidr : allowed) {
            if (cidr.contains(address) || (mappedV4 != null && cidr.contains(mappedV4))) {
                return true;
            }
        }
        return false;
    }

    private static String internalV4Reason(byte[] address) {
        for (Range r : V4_RANGES) {
            if (r.block().contains(address)) {
                return r.kind() + " address " + format(address);
            }
        }
        return null;
    }

    private static String internalV6Reason(byte[] a) {
        String shown = format(a);
        if (zeros(a, 0, 16)) {
            return "unspecified address " + shown;
        }
        if (zeros(a, 0, 15) && a[15] == 1) {
            return "loopback address " + shown;
        }
        // The v4 inside these forms is where the packet ends up (through the host stack, a NAT64
        // gateway or a 6to4 relay), so it has to pass the IPv4 rules.
        String form = null;
        byte[] embedded = null;
        if (isMapped(a)) {
            form = "IPv4-mapped";
            embedded = embeddedTail(a);
        } else if (zeros(a, 0, 8) && u16(a, 8) == 0xFFFF && u16(a, 10) == 0) {
            form = "IPv4-translated";
            embedded = embeddedTail(a);
        } else if (zeros(a, 0, 12)) {
            form = "IPv4-compatible";
            embedded = embeddedTail(a);
        } else if (u16(a, 0) == 0x0064 && u16(a, 2) == 0xFF9B && zeros(a, 4, 12)) {
            form = "NAT64";
            embedded = embeddedTail(a);
        } else if (u16(a, 0) == 0x0064 && u16(a, 2) == 0xFF9B && u16(a, 4) == 0x0001) {
            // The local-use prefix may be split in several ways (RFC 6052); we read the /96 layout,
            // the common one. Gateways using another layout need an egress firewall as well.
            form = "NAT64 local-use";
            embedded = embeddedTail(a);
        } else if (u16(a, 0) == 0x2002) {
            form = "6to4";
            embedded = new byte[] {a[2], a[3], a[4], a[5]};
        } else if (u16(a, 0) == 0x2001 && u16(a, 2) == 0x0000) {
            // The client address in Teredo is XOR-obfuscated and the server part can be anything,
            // so there is nothing trustworthy to judge.
            return "Teredo address " + shown;
        }
        if (embedded != null) {
            String inner = internalV4Reason(embedded);
            return inner == null ? null : inner + " embedded in " + form + " address " + shown;
        }
        for (Range r : V6_RANGES) {
            if (r.block().contains(a)) {
                return r.kind() + " address " + shown;
            }
        }
        return null;
    }

    private String literalReason(String host) {
        if (host.startsWith("[") || host.endsWith("]")) {
            if (host.length() < 2 || !host.startsWith("[") || !host.endsWith("]")) {
                return "malformed IP literal " + host;
            }
            return ipv6LiteralReason(host.substring(1, host.length() - 1), host);
        }
        if (host.indexOf(':') >= 0) {
            return ipv6LiteralReason(host, host);
        }
        // A trailing dot makes the name absolute; some parsers (WHATWG URL) still read the rest as IPv4.
        String v4 = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        return IpLiterals.parseIpv4Literal(v4)
                .map(a -> reasonFor(a.getAddress()))
                .orElse(null);
    }

    private String ipv6LiteralReason(String literal, String original) {
        // A zone (fe80::1%eth0, or %25eth0 in URLs) picks an interface, not a different address.
        int zone = literal.indexOf('%');
        byte[] address = null;
        if (zone != literal.length() - 1) {
            address = IpLiterals.parseIpv6(zone < 0 ? literal : literal.substring(0, zone));
        }
        return address == null ? "malformed IPv6 literal " + original : reasonFor(address);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static String toAsciiOrNull(String host) {
        try {
            return IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

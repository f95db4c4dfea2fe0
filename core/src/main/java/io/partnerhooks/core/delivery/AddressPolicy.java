package io.partnerhooks.core.delivery;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
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

    /**
     * inet_aton(3)-style parse of an IPv4 literal: one to four dot-separated parts, each decimal,
     * octal (leading {@code 0}) or hexadecimal ({@code 0x}); the last part fills all remaining bytes,
     * so {@code 127.1}, {@code 2130706433} and {@code 0x7f.1} all mean 127.0.0.1. Empty when the text
     * is not such a literal ({@code example.com}, {@code 1.2.3.4.5}, {@code 256.1.1.1}, {@code 08.1.1.1}).
     */
    public static Optional<Inet4Address> parseIpv4Literal(String host) {
        if (host == null || host.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = parseInetAtonPart(parts[i]);
            if (values[i] < 0) {
                return Optional.empty();
            }
        }
        int last = parts.length - 1;
        for (int i = 0; i < last; i++) {
            if (values[i] > 0xFF) {
                return Optional.empty();
            }
        }
        if (values[last] > (0xFFFF_FFFFL >>> (8 * last))) {
            return Optional.empty();
        }
        long ip = values[last];
        for (int i = 0; i < last; i++) {
            ip |= values[i] << (8 * (3 - i));
        }
        byte[] bytes = {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
        return Optional.of((Inet4Address) toInetAddress(bytes));
    }

    /** One CIDR block of the allow-list, normalised so that host bits below the prefix are zero. */
    public record Cidr(InetAddress network, int prefixLength) {

        public Cidr {
            Objects.requireNonNull(network, "network");
            byte[] bytes = network.getAddress();
            if (prefixLength < 0 || prefixLength > bytes.length * 8) {
                throw new IllegalArgumentException(
                        "prefix length " + prefixLength + " out of range for " + format(bytes));
            }
            // Java hands out ::ffff:a.b.c.d as an Inet4Address, so an IPv4-mapped block is kept as
            // the IPv4 block it stands for; otherwise it could never match such an address.
            if (bytes.length == 16 && prefixLength >= 96 && isMapped(bytes)) {
                bytes = embeddedTail(bytes);
                prefixLength -= 96;
            }
            network = toInetAddress(mask(bytes, prefixLength));
        }

        /**
         * Parses {@code address/prefix} or a bare address (a single host). IPv4 must be plain dotted
         * decimal here: in configuration, {@code 010.0.0.0} is more likely a typo than octal.
         *
         * @throws IllegalArgumentException naming the text when it is not a valid CIDR
         */
        public static Cidr parse(String text) {
            Objects.requireNonNull(text, "text");
            String entry = text.strip();
            int slash = entry.indexOf('/');
            String addressPart = slash < 0 ? entry : entry.substring(0, slash);
            byte[] address = addressPart.indexOf(':') >= 0 ? parseIpv6(addressPart) : parseDottedQuad(addressPart);
            if (address == null) {
                throw invalidEntry(text, "not an IPv4 or IPv6 address");
            }
            int maxPrefix = address.length * 8;
            int prefix = maxPrefix;
            if (slash >= 0) {
                String prefixPart = entry.substring(slash + 1);
                if (prefixPart.isEmpty() || prefixPart.length() > 3 || !isAsciiDigits(prefixPart)
                        || Integer.parseInt(prefixPart) > maxPrefix) {
                    throw invalidEntry(text, "prefix length must be a number from 0 to " + maxPrefix);
                }
                prefix = Integer.parseInt(prefixPart);
            }
            return new Cidr(toInetAddress(address), prefix);
        }

        /** True when the address is inside this block; IPv4 and IPv6 blocks only match their own family. */
        public boolean contains(InetAddress address) {
            return contains(address.getAddress());
        }

        boolean contains(byte[] address) {
            byte[] net = network.getAddress();
            if (address.length != net.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (address[i] != net[i]) {
                    return false;
                }
            }
            int restBits = prefixLength % 8;
            if (restBits == 0) {
                return true;
            }
            int m = (0xFF << (8 - restBits)) & 0xFF;
            return (address[fullBytes] & m) == (net[fullBytes] & m);
        }

        @Override
        public String toString() {
            return format(network.getAddress()) + "/" + prefixLength;
        }

        private static IllegalArgumentException invalidEntry(String entry, String why) {
            return new IllegalArgumentException("invalid allowed target '" + entry + "': " + why);
        }
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
        return parseIpv4Literal(v4).map(a -> reasonFor(a.getAddress())).orElse(null);
    }

    private String ipv6LiteralReason(String literal, String original) {
        // A zone (fe80::1%eth0, or %25eth0 in URLs) picks an interface, not a different address.
        int zone = literal.indexOf('%');
        byte[] address = null;
        if (zone != literal.length() - 1) {
            address = parseIpv6(zone < 0 ? literal : literal.substring(0, zone));
        }
        return address == null ? "malformed IPv6 literal " + original : reasonFor(address);
    }

    /** Value of one inet_aton part, or -1 when it is not a number in its radix or exceeds 32 bits. */
    private static long parseInetAtonPart(String part) {
        if (part.isEmpty()) {
            return -1;
        }
        int radix = 10;
        int start = 0;
        if (part.length() >= 2 && part.charAt(0) == '0' && (part.charAt(1) == 'x' || part.charAt(1) == 'X')) {
            // A bare "0x" counts as zero, as in glibc and WHATWG URL; better to over-recognise here.
            radix = 16;
            start = 2;
        } else if (part.length() >= 2 && part.charAt(0) == '0') {
            radix = 8;
            start = 1;
        }
        long value = 0;
        for (int i = start; i < part.length(); i++) {
            int d = asciiDigit(part.charAt(i), radix);
            if (d < 0) {
                return -1;
            }
            value = value * radix + d;
            if (value > 0xFFFF_FFFFL) {
                return -1;
            }
        }
        return value;
    }

    /** Strict a.b.c.d with decimal parts 0-255 and no leading zeros, or null. */
    private static byte[] parseDottedQuad(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !isAsciiDigits(p) || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    /**
     * RFC 4291 text form (no zone) to 16 bytes, or null. Hand-written because
     * InetAddress.getByName falls back to a DNS lookup for text it does not take as a literal.
     */
    private static byte[] parseIpv6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        List<Integer> head = groups(gap < 0 ? text : text.substring(0, gap), gap < 0);
        List<Integer> tail = gap < 0 ? List.of() : groups(text.substring(gap + 2), true);
        if (head == null || tail == null) {
            return null;
        }
        int count = head.size() + tail.size();
        if (gap < 0 ? count != 8 : count > 7) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < head.size(); i++) {
            putU16(out, 2 * i, head.get(i));
        }
        for (int i = 0; i < tail.size(); i++) {
            putU16(out, 2 * (8 - tail.size() + i), tail.get(i));
        }
        return out;
    }

    /** 16-bit groups of a colon-separated run; a dotted quad is accepted only as the very last group. */
    private static List<Integer> groups(String run, boolean mayEndWithIpv4) {
        List<Integer> out = new ArrayList<>();
        if (run.isEmpty()) {
            return out;
        }
        String[] pieces = run.split(":", -1);
        for (int i = 0; i < pieces.length; i++) {
            String p = pieces[i];
            if (mayEndWithIpv4 && i == pieces.length - 1 && p.indexOf('.') >= 0) {
                byte[] v4 = parseDottedQuad(p);
                if (v4 == null) {
                    return null;
                }
                out.add(u16(v4, 0));
                out.add(u16(v4, 2));
                continue;
            }
            if (p.isEmpty() || p.length() > 4) {
                return null;
            }
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                int d = asciiDigit(p.charAt(k), 16);
                if (d < 0) {
                    return null;
                }
                v = v * 16 + d;
            }
            out.add(v);
        }
        return out;
    }

    /** Canonical text (RFC 5952) for reasons and toString; InetAddress would print 0:0:0:0:0:0:0:1. */
    private static String format(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xFF) + "." + (a[1] & 0xFF) + "." + (a[2] & 0xFF) + "." + (a[3] & 0xFF);
        }
        if (isMapped(a)) {
            return "::ffff:" + format(embeddedTail(a));
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (u16(a, 2 * i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && u16(a, 2 * j) == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLen) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(u16(a, 2 * i)));
        }
        return sb.toString();
    }

    private static boolean isMapped(byte[] a) {
        return zeros(a, 0, 10) && u16(a, 10) == 0xFFFF;
    }

    private static byte[] embeddedTail(byte[] a) {
        return new byte[] {a[12], a[13], a[14], a[15]};
    }

    private static byte[] mask(byte[] address, int prefixLength) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - 8 * i));
            out[i] &= (byte) (0xFF << (8 - keep));
        }
        return out;
    }

    private static InetAddress toInetAddress(byte[] bytes) {
        try {
            // Inet6Address explicitly: InetAddress.getByAddress would turn a mapped address into IPv4.
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("unexpected address length " + bytes.length, e);
        }
    }

    private static boolean zeros(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] a, int offset) {
        return ((a[offset] & 0xFF) << 8) | (a[offset + 1] & 0xFF);
    }

    private static void putU16(byte[] a, int offset, int value) {
        a[offset] = (byte) (value >>> 8);
        a[offset + 1] = (byte) value;
    }

    // Character.digit would also accept non-ASCII digits, which no address parser downstream reads.
    private static int asciiDigit(char c, int radix) {
        int d;
        if (c >= '0' && c <= '9') {
            d = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            d = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            d = c - 'A' + 10;
        } else {
            return -1;
        }
        return d < radix ? d : -1;
    }

    private static boolean isAsciiDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
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

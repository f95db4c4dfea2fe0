package io.partnerhooks.core.address;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * IP address text, read and written by hand so that reading it never performs a DNS lookup
 * ({@link InetAddress#getByName} falls back to one for text it does not take as a literal).
 * Inside this package addresses travel as their raw bytes, 4 or 16 of them.
 */
public final class IpLiterals {

    private IpLiterals() {}

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
    static byte[] parseDottedQuad(String text) {
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
    static byte[] parseIpv6(String text) {
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
    static String format(byte[] a) {
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

    static boolean isMapped(byte[] a) {
        return zeros(a, 0, 10) && u16(a, 10) == 0xFFFF;
    }

    static byte[] embeddedTail(byte[] a) {
        return new byte[] {a[12], a[13], a[14], a[15]};
    }

    static InetAddress toInetAddress(byte[] bytes) {
        try {
            // Inet6Address explicitly: InetAddress.getByAddress would turn a mapped address into IPv4.
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("unexpected address length " + bytes.length, e);
        }
    }

    static boolean zeros(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    static int u16(byte[] a, int offset) {
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

    static boolean isAsciiDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}

package io.partnerhooks.core.address;

import static io.partnerhooks.core.address.IpLiterals.embeddedTail;
import static io.partnerhooks.core.address.IpLiterals.format;
import static io.partnerhooks.core.address.IpLiterals.isAsciiDigits;
import static io.partnerhooks.core.address.IpLiterals.isMapped;
import static io.partnerhooks.core.address.IpLiterals.parseDottedQuad;
import static io.partnerhooks.core.address.IpLiterals.parseIpv6;
import static io.partnerhooks.core.address.IpLiterals.toInetAddress;

import java.net.InetAddress;
import java.util.Objects;

/** One CIDR block of the allow-list, normalised so that host bits below the prefix are zero. */
public record Cidr(InetAddress network, int prefixLength) {

    public Cidr {
        Objects.requireNonNull(network, "network");
        byte[] bytes = network.getAddress();
        if (prefixLength < 0 || prefixLength > bytes.length * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range for " + format(bytes));
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
            if (prefixPart.isEmpty()
                    || prefixPart.length() > 3
                    || !isAsciiDigits(prefixPart)
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

    private static byte[] mask(byte[] address, int prefixLength) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - 8 * i));
            out[i] &= (byte) (0xFF << (8 - keep));
        }
        return out;
    }
}

package io.partnerhooks.core.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

    private final AddressPolicy policy = AddressPolicy.denyInternal();

    // Only ever called with literals, so getByName never reaches DNS.
    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    /** Forces the Inet6Address form, which getByName does not give for ::ffff:a.b.c.d. */
    private static Inet6Address v6(String literal) throws UnknownHostException {
        byte[] bytes = InetAddress.getByName(literal).getAddress();
        if (bytes.length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            bytes = mapped;
        }
        return Inet6Address.getByAddress(null, bytes, -1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            0.0.0.0          | unspecified address 0.0.0.0
            0.255.255.255    | this-network address 0.255.255.255
            10.0.0.5         | private address 10.0.0.5
            10.255.255.255   | private address 10.255.255.255
            100.64.0.1       | shared (CGNAT) address 100.64.0.1
            100.127.255.254  | shared (CGNAT) address 100.127.255.254
            127.0.0.1        | loopback address 127.0.0.1
            127.255.255.254  | loopback address 127.255.255.254
            169.254.169.254  | link-local address 169.254.169.254
            172.16.0.1       | private address 172.16.0.1
            172.31.255.255   | private address 172.31.255.255
            192.0.0.8        | IETF protocol assignment address 192.0.0.8
            192.0.2.1        | documentation address 192.0.2.1
            192.168.1.1      | private address 192.168.1.1
            198.18.0.1       | benchmarking address 198.18.0.1
            198.19.255.255   | benchmarking address 198.19.255.255
            198.51.100.7     | documentation address 198.51.100.7
            203.0.113.9      | documentation address 203.0.113.9
            224.0.0.1        | multicast address 224.0.0.1
            239.255.255.250  | multicast address 239.255.255.250
            240.0.0.1        | reserved address 240.0.0.1
            255.255.255.254  | reserved address 255.255.255.254
            255.255.255.255  | broadcast address 255.255.255.255
            """)
    void refusesEveryInternalIpv4Range(String address, String reason) throws Exception {
        assertThat(policy.refusalReason(ip(address))).contains(reason);
        assertThat(policy.allows(ip(address))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "8.8.8.8",
                "1.1.1.1",
                "1.0.0.0",
                "9.255.255.255",
                "11.0.0.0",
                "100.63.255.255",
                "100.128.0.0",
                "126.255.255.255",
                "128.0.0.0",
                "169.253.255.255",
                "169.255.0.0",
                "172.15.255.255",
                "172.32.0.0",
                "192.0.1.255",
                "192.0.3.0",
                "192.167.255.255",
                "192.169.0.0",
                "198.17.255.255",
                "198.20.0.0",
                "198.51.99.255",
                "198.51.101.0",
                "203.0.112.255",
                "203.0.114.0",
                "223.255.255.255"
            })
    void allowsPublicIpv4IncludingRangeNeighbours(String address) throws Exception {
        assertThat(policy.refusalReason(ip(address))).isEmpty();
        assertThat(policy.allows(ip(address))).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ::                    | unspecified address ::
            ::1                   | loopback address ::1
            fe80::1               | link-local address fe80::1
            febf:ffff::1          | link-local address febf:ffff::1
            fc00::1               | unique-local address fc00::1
            fd12:3456:789a::1     | unique-local address fd12:3456:789a::1
            fec0::1               | site-local address fec0::1
            feff::1               | site-local address feff::1
            ff02::1               | multicast address ff02::1
            ff0e::101             | multicast address ff0e::101
            2001:db8::1           | documentation address 2001:db8::1
            2001:db8:ffff::1      | documentation address 2001:db8:ffff::1
            3fff::1               | documentation address 3fff::1
            100::1                | discard address 100::1
            100::ffff:ffff:ffff:ffff | discard address 100::ffff:ffff:ffff:ffff
            """)
    void refusesEveryInternalIpv6Range(String address, String reason) throws Exception {
        assertThat(policy.refusalReason(v6(address))).contains(reason);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ::ffff:127.0.0.1                      | loopback address 127.0.0.1 embedded in IPv4-mapped address ::ffff:127.0.0.1
            ::ffff:169.254.169.254                | link-local address 169.254.169.254 embedded in IPv4-mapped address ::ffff:169.254.169.254
            ::ffff:0:10.0.0.1                     | private address 10.0.0.1 embedded in IPv4-translated address ::ffff:0:a00:1
            ::127.0.0.1                           | loopback address 127.0.0.1 embedded in IPv4-compatible address ::7f00:1
            ::0.0.0.2                             | this-network address 0.0.0.2 embedded in IPv4-compatible address ::2
            64:ff9b::a00:1                        | private address 10.0.0.1 embedded in NAT64 address 64:ff9b::a00:1
            64:ff9b::7f00:1                       | loopback address 127.0.0.1 embedded in NAT64 address 64:ff9b::7f00:1
            64:ff9b:1::a9fe:a9fe                  | link-local address 169.254.169.254 embedded in NAT64 local-use address 64:ff9b:1::a9fe:a9fe
            2002:c0a8:101::1                      | private address 192.168.1.1 embedded in 6to4 address 2002:c0a8:101::1
            2002:7f00:1::                         | loopback address 127.0.0.1 embedded in 6to4 address 2002:7f00:1::
            2001:0:4136:e378:8000:63bf:3fff:fdd2  | Teredo address 2001:0:4136:e378:8000:63bf:3fff:fdd2
            2001::1                               | Teredo address 2001::1
            """)
    void judgesIpv6FormsThatEmbedIpv4ByTheEmbeddedAddress(String address, String reason) throws Exception {
        assertThat(policy.refusalReason(v6(address))).contains(reason);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2606:4700::1111",
                "2001:4860:4860::8888",
                "2a00:1450:4001::1",
                "2001:1::1",
                "::ffff:8.8.8.8",
                "::8.8.8.8",
                "64:ff9b::808:808",
                "64:ff9b:1::808:808",
                "2002:808:808::1"
            })
    void allowsPublicIpv6AndEmbeddedPublicIpv4(String address) throws Exception {
        assertThat(policy.refusalReason(v6(address))).isEmpty();
    }

    @Test
    void mappedLoopbackIsRefusedWhetherJavaGivesInet4OrInet6() throws Exception {
        InetAddress asGivenByGetByName = ip("::ffff:127.0.0.1");
        assertThat(asGivenByGetByName).isInstanceOf(Inet4Address.class);
        assertThat(policy.refusalReason(asGivenByGetByName)).contains("loopback address 127.0.0.1");

        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1};
        Inet6Address asInet6 = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(policy.allows(asInet6)).isFalse();
    }

    @Test
    void scopedLinkLocalIsStillLinkLocal() throws Exception {
        byte[] bytes = ip("fe80::1").getAddress();
        assertThat(policy.refusalReason(Inet6Address.getByAddress(null, bytes, 3)))
                .contains("link-local address fe80::1");
    }

    @Test
    void nullAddressIsAProgrammingError() {
        assertThatThrownBy(() -> policy.refusalReason(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void allowListLetsListedInternalAddressesThroughAndNothingElse() throws Exception {
        AddressPolicy local = AddressPolicy.parse("127.0.0.0/8, ::1/128");

        assertThat(local.allows(ip("127.0.0.1"))).isTrue();
        assertThat(local.allows(ip("127.9.9.9"))).isTrue();
        assertThat(local.allows(v6("::1"))).isTrue();
        assertThat(local.allows(v6("::ffff:127.0.0.1"))).isTrue();
        assertThat(local.allows(ip("8.8.8.8"))).isTrue();

        assertThat(local.refusalReason(ip("10.0.0.1"))).contains("private address 10.0.0.1");
        assertThat(local.allows(ip("169.254.169.254"))).isFalse();
        assertThat(local.allows(v6("::2"))).isFalse();
    }

    @Test
    void bareAddressInAllowListIsASingleHost() throws Exception {
        AddressPolicy single = AddressPolicy.parse("10.1.2.3,fd00::5");

        assertThat(single.allows(ip("10.1.2.3"))).isTrue();
        assertThat(single.allows(ip("10.1.2.4"))).isFalse();
        assertThat(single.allows(v6("fd00::5"))).isTrue();
        assertThat(single.allows(v6("fd00::6"))).isFalse();
    }

    @Test
    void mappedCidrInAllowListCoversThePlainIpv4Addresses() throws Exception {
        AddressPolicy mapped = AddressPolicy.parse("::ffff:10.0.0.0/104");

        assertThat(mapped.allows(ip("10.20.30.40"))).isTrue();
        assertThat(mapped.allows(v6("::ffff:10.20.30.40"))).isTrue();
        assertThat(mapped.allows(ip("192.168.0.1"))).isFalse();
    }

    @Test
    void allowingAnIpv4RangeDoesNotOpenItsNat64Or6to4Forms() throws Exception {
        AddressPolicy tens = AddressPolicy.parse("10.0.0.0/8");

        assertThat(tens.allows(ip("10.0.0.1"))).isTrue();
        assertThat(tens.allows(v6("64:ff9b::a00:1"))).isFalse();
        assertThat(tens.allows(v6("2002:a00:1::1"))).isFalse();
        assertThat(AddressPolicy.parse("64:ff9b::/96").allows(v6("64:ff9b::a00:1")))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", " , ,"})
    void blankAllowListMeansDenyInternal(String csv) throws Exception {
        AddressPolicy parsed = AddressPolicy.parse(csv);
        assertThat(parsed.refusalReason(ip("127.0.0.1")))
                .isEqualTo(AddressPolicy.denyInternal().refusalReason(ip("127.0.0.1")))
                .contains("loopback address 127.0.0.1");
        assertThat(parsed.allows(ip("8.8.8.8"))).isTrue();
    }

    @Test
    void nullAllowListMeansDenyInternal() throws Exception {
        assertThat(AddressPolicy.parse(null).allows(ip("127.0.0.1"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.0.0.0/33",
                "abc",
                "1.2.3.4/",
                "/8",
                "::1/129",
                "10.0.0.0/-1",
                "10.0.0.0/+8",
                "10.0.0.0/8/8",
                "010.0.0.0/8",
                "256.0.0.0/8",
                "10.0.0/8",
                "0x7f.0.0.1",
                "10.0.0.0 /8",
                "fe80::1%eth0/64",
                "[::1]/128",
                "1:2:3:4:5:6:7:8:9",
                "1::2::3",
                "example.com/32"
            })
    void rejectsBadAllowListEntriesNamingThem(String bad) {
        assertThatThrownBy(() -> AddressPolicy.parse("127.0.0.0/8, " + bad + ", ::1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + bad + "'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            2130706433           | loopback address 127.0.0.1
            0x7f000001           | loopback address 127.0.0.1
            0X7F000001           | loopback address 127.0.0.1
            0177.0.0.1           | loopback address 127.0.0.1
            017700000001         | loopback address 127.0.0.1
            0x7f.0.0.1           | loopback address 127.0.0.1
            127.1                | loopback address 127.0.0.1
            127.0.1              | loopback address 127.0.0.1
            0x7f.1               | loopback address 127.0.0.1
            127.0.0.1            | loopback address 127.0.0.1
            127.0.0.1.           | loopback address 127.0.0.1
            10.1.1               | private address 10.1.0.1
            0                    | unspecified address 0.0.0.0
            0x                   | unspecified address 0.0.0.0
            0xa9fea9fe           | link-local address 169.254.169.254
            0251.0376.0251.0376  | link-local address 169.254.169.254
            169.254.43518        | link-local address 169.254.169.254
            [::1]                | loopback address ::1
            ::1                  | loopback address ::1
            [::]                 | unspecified address ::
            [FE80::1]            | link-local address fe80::1
            [fe80::1%25eth0]     | link-local address fe80::1
            [::ffff:127.0.0.1]   | loopback address 127.0.0.1 embedded in IPv4-mapped address ::ffff:127.0.0.1
            [::ffff:7f00:1]      | loopback address 127.0.0.1 embedded in IPv4-mapped address ::ffff:127.0.0.1
            [64:ff9b::a00:1]     | private address 10.0.0.1 embedded in NAT64 address 64:ff9b::a00:1
            [2002:a9fe:a9fe::]   | link-local address 169.254.169.254 embedded in 6to4 address 2002:a9fe:a9fe::
            [2001::1]            | Teredo address 2001::1
            """)
    void refusesInternalLiteralsInEverySpelling(String host, String reason) {
        assertThat(policy.refuseLiteralHost(host)).contains(reason);
    }

    @Test
    void refusesFullWidthDigitsThatIdnaMapsToLoopback() {
        // "１２７．０．０．１" in full-width characters
        assertThat(policy.refuseLiteralHost("\uFF11\uFF12\uFF17\uFF0E\uFF10\uFF0E\uFF10\uFF0E\uFF11"))
                .contains("loopback address 127.0.0.1");
        assertThat(policy.refuseLiteralHost("127\u30020\u30020\u30021")).contains("loopback address 127.0.0.1");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "example.com",
                "1.2.3.4.5",
                "8.8.8.8",
                "256.1.1.1",
                "08.1.1.1",
                "134744072",
                "0x8.0x8.0x8.0x8",
                "[2606:4700::1111]",
                "[::ffff:8.8.8.8]",
                "localhost",
                "0x7f.example.com",
                "xn--bcher-kva.example",
                "b\u00FCcher.example"
            })
    void doesNotRefuseNamesOrPublicLiterals(String host) {
        assertThat(policy.refuseLiteralHost(host)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"[::1", "::1]", "[]", "[zz::1]", "[1.2.3.4]", "[::ffff:127.1]", "[fe80::1%]", "1:2", "[:::]"})
    void refusesTextThatClaimsToBeAnIpv6LiteralButIsNot(String host) {
        assertThat(policy.refuseLiteralHost(host))
                .hasValueSatisfying(r -> assertThat(r).startsWith("malformed"));
    }

    @Test
    void refusesMissingHostBecauseUriGivesNullForHostsItCannotParse() {
        assertThat(policy.refuseLiteralHost(null)).contains("missing host");
        assertThat(policy.refuseLiteralHost("")).contains("missing host");
    }

    @Test
    void allowListAppliesToLiteralHostsToo() {
        AddressPolicy local = AddressPolicy.parse("127.0.0.0/8");

        assertThat(local.refuseLiteralHost("0x7f.1")).isEmpty();
        assertThat(local.refuseLiteralHost("[::ffff:127.0.0.1]")).isEmpty();
        assertThat(local.refuseLiteralHost("10.1")).contains("private address 10.0.0.1");
    }
}

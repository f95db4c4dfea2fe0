package io.partnerhooks.core.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class CidrTest {

    // Only ever called with literals, so getByName never reaches DNS.
    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void cidrIsNormalisedAndMappedBlocksBecomeIpv4() throws Exception {
        assertThat(Cidr.parse("10.1.2.3/8")).hasToString("10.0.0.0/8");
        assertThat(Cidr.parse("2001:DB8:0:0::1/32")).hasToString("2001:db8::/32");
        assertThat(Cidr.parse("::ffff:10.0.0.0/104")).hasToString("10.0.0.0/8");
        assertThat(Cidr.parse("::1")).hasToString("::1/128");
        assertThat(Cidr.parse("172.16.0.0/12")).isEqualTo(new Cidr(ip("172.31.1.1"), 12));
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("8.8.8.8"))).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("::8"))).isFalse();
    }
}

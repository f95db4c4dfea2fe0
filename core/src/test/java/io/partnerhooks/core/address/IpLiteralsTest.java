package io.partnerhooks.core.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            1.2.3.4                             | 1.2.3.4
            2130706433                          | 127.0.0.1
            0x7f000001                          | 127.0.0.1
            0177.0.0.1                          | 127.0.0.1
            017700000001                        | 127.0.0.1
            127.1                               | 127.0.0.1
            0x7f.1                              | 127.0.0.1
            10.1.1                              | 10.1.0.1
            1.0xffffff                          | 1.255.255.255
            1.2.65535                           | 1.2.255.255
            4294967295                          | 255.255.255.255
            0XFF.0xFf.0377.255                  | 255.255.255.255
            0                                   | 0.0.0.0
            0x                                  | 0.0.0.0
            00000000000000000000000000010.0.0.1 | 8.0.0.1
            """)
    void parsesInetAtonSpellings(String literal, String expected) {
        assertThat(IpLiterals.parseIpv4Literal(literal))
                .map(InetAddress::getHostAddress)
                .contains(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "example.com", "1.2.3.4.5", "256.1.1.1", "08.1.1.1", "09", "", "1..2", ".1.2.3", "1.2.3.", "4294967296",
                "1.16777216", "1.2.65536", "0x100.1", "0x1ffffffff", "-1", "+1", " 1.2.3.4", "1.2.3.4 ", "0xg", "1e3",
                "::1", "\uFF11\uFF12\uFF17.0.0.1"
            })
    void rejectsTextThatIsNotAnInetAtonLiteral(String text) {
        assertThat(IpLiterals.parseIpv4Literal(text)).isEmpty();
    }

    @Test
    void parseIpv4LiteralToleratesNull() {
        assertThat(IpLiterals.parseIpv4Literal(null)).isEmpty();
    }
}

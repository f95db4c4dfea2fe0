package io.partnerhooks.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.core.address.AddressPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlRulesTest {

    private final AddressPolicy strict = AddressPolicy.parse("");
    private final AddressPolicy loopbackAllowed = AddressPolicy.parse("127.0.0.0/8");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://example.com/hook",
                "http://example.com/hook",
                "HTTPS://Example.COM/hook",
                "https://example.com:8443/webhooks/partnerhooks?tenant=42&x=%20",
                "https://hooks.example.co.uk",
                "https://93.184.215.14/hook",
                "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook"
            })
    void acceptsPublicHttpAndHttpsUrls(String url) {
        assertThat(UrlRules.check(url, strict)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t"})
    void refusesEmptyUrls(String url) {
        assertThat(UrlRules.check(url, strict)).contains("must not be empty");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://example.com/hook", "ws://example.com/hook", "file:///etc/passwd", "mailto:ops@example.com",
                "javascript:alert(1)", "example.com/hook", "/relative/path", "httpx://example.com/"
            })
    void refusesOtherSchemes(String url) {
        assertThat(UrlRules.check(url, strict)).contains("must use http or https");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://user@example.com/hook",
                "https://user:secret@example.com/hook",
                "http://:@example.com/",
                "http://example.com@127.0.0.1/"
            })
    void refusesUserInfo(String url) {
        assertThat(UrlRules.check(url, strict)).contains("must not contain credentials (user-info)");
    }

    @Test
    void acceptsExactly512CharactersAndRefusesMore() {
        String base = "https://example.com/";
        String longest = base + "a".repeat(UrlRules.MAX_LENGTH - base.length());

        assertThat(longest).hasSize(512);
        assertThat(UrlRules.check(longest, strict)).isEmpty();
        assertThat(UrlRules.check(longest + "a", strict)).contains("must be at most 512 characters");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://example.com:0/a",
                "https://example.com:65536/a",
                "https://example.com:99999/a",
                "https://example.com:4294967297/a"
            })
    void refusesPortsOutsideOneTo65535(String url) {
        assertThat(UrlRules.check(url, strict))
                .hasValueSatisfying(msg -> assertThat(msg).contains("a port must be from 1 to 65535"));
    }

    @Test
    void acceptsTheEdgePorts() {
        assertThat(UrlRules.check("https://example.com:1/a", strict)).isEmpty();
        assertThat(UrlRules.check("https://example.com:65535/a", strict)).isEmpty();
    }

    @Test
    void refusesLoopbackWithoutAllowList() {
        assertThat(UrlRules.check("http://127.0.0.1/", strict))
                .contains("points at a forbidden address (loopback address 127.0.0.1)");
    }

    @Test
    void acceptsLoopbackWhenTheOperatorAllowsIt() {
        assertThat(UrlRules.check("http://127.0.0.1/", loopbackAllowed)).isEmpty();
        assertThat(UrlRules.check("http://127.0.0.1:9000/hook", loopbackAllowed))
                .isEmpty();
    }

    @Test
    void theAllowListDoesNotOpenOtherInternalRanges() {
        assertThat(UrlRules.check("http://10.0.0.1/", loopbackAllowed))
                .hasValueSatisfying(msg -> assertThat(msg).contains("private address 10.0.0.1"));
    }

    @Test
    void refusesLoopbackSpelledAsOneDecimalNumber() {
        assertThat(UrlRules.check("http://2130706433/", strict))
                .contains("points at a forbidden address (loopback address 127.0.0.1)");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://0177.0.0.1/",
                "http://0x7f000001/",
                "http://[::1]/",
                "http://[::ffff:127.0.0.1]/",
                "http://169.254.169.254/latest/meta-data/",
                "http://10.1.2.3/",
                "http://192.168.0.10:8080/",
                "http://0.0.0.0/",
                "http://[fd00::1]/"
            })
    void refusesOtherSpellingsOfInternalAddresses(String url) {
        assertThat(UrlRules.check(url, strict))
                .hasValueSatisfying(msg -> assertThat(msg).startsWith("points at a forbidden address ("));
    }

    // java.net.URI finds no host in these; they must still be refused rather than slip through.
    @ParameterizedTest
    @ValueSource(strings = {"http://0x7f.1/", "http://127.1/", "http:///hook", "https:/example.com/hook"})
    void refusesUrlsWithoutAParsableHost(String url) {
        assertThat(UrlRules.check(url, strict)).contains("must have a host");
    }

    @Test
    void refusesAFragment() {
        assertThat(UrlRules.check("https://example.com/hook#section", strict)).contains("must not have a fragment");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://exa mple.com/hook", "https://example.com/a b", "http://[::1/"})
    void refusesUnparsableUrls(String url) {
        assertThat(UrlRules.check(url, strict))
                .hasValueSatisfying(msg -> assertThat(msg).startsWith("is not a valid URL: "));
    }

    // Names are judged after DNS resolution, right before connecting; here only literals are.
    @Test
    void leavesHostNamesToTheResolveTimeCheck() {
        assertThat(UrlRules.check("http://localhost:8080/hook", strict)).isEmpty();
    }
}

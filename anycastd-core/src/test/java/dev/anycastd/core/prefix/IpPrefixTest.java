package dev.anycastd.core.prefix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class IpPrefixTest {

    @Test
    void bareIpv6AddressIsAHostRoute() {
        IpPrefix prefix = IpPrefix.parse("2001:db8::b19:bad:53");

        assertThat(prefix.family()).isEqualTo(IpPrefix.Family.IPV6);
        assertThat(prefix.length()).isEqualTo(128);
        assertThat(prefix.isHostRoute()).isTrue();
        assertThat(prefix).hasToString("2001:db8::b19:bad:53/128");
    }

    @Test
    void bareIpv4AddressIsAHostRoute() {
        IpPrefix prefix = IpPrefix.parse("203.0.113.53");

        assertThat(prefix.family()).isEqualTo(IpPrefix.Family.IPV4);
        assertThat(prefix).hasToString("203.0.113.53/32");
        assertThat(prefix.address().getHostAddress()).isEqualTo("203.0.113.53");
    }

    @ParameterizedTest
    @CsvSource({
        "192.0.2.0/24, 192.0.2.0/24",
        "0.0.0.0/0, 0.0.0.0/0",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1/128",
        "2001:db8:0000:0:1:0:0:1, 2001:db8::1:0:0:1/128",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1/128",
        "::, ::/128",
        "::1, ::1/128",
        "2001:db8:4:387b::/64, 2001:db8:4:387b::/64",
        "::ffff:192.0.2.1, ::ffff:c000:201/128",
        "2001:db8:1:2:3:4:5:6, 2001:db8:1:2:3:4:5:6/128",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1/128",
    })
    void printsTheCanonicalFormFrrPrints(String input, String canonical) {
        assertThat(IpPrefix.parse(input)).hasToString(canonical);
    }

    @Test
    void hostBitsSetIsAnErrorThatSuggestsTheNetwork() {
        assertThatThrownBy(() -> IpPrefix.parse("192.0.2.1/24"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"192.0.2.1/24\" has host bits set; did you mean 192.0.2.0/24?");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "dns.example", "256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4/33",
        "2001:db8::/129", "1.2.3.4/-1", "1.2.3.4/", "2001:db8:::1", "2001::db8::1", "1:2:3:4:5:6:7:8:9",
        "12345::", "g::1", "1.2.3.4 /24", "1.2.3.4\n", " 1.2.3.4", "::ffff:1.2.3", "localhost"})
    void malformedTextIsAnErrorThatQuotesTheInput(String input) {
        assertThatThrownBy(() -> IpPrefix.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + input + "\"");
    }

    @Test
    void equalPrefixesAreEqualWhateverTheirSpelling() {
        assertThat(IpPrefix.parse("2001:DB8::0:1")).isEqualTo(IpPrefix.parse("2001:db8::1/128"))
                .hasSameHashCodeAs(IpPrefix.parse("2001:db8::1/128"));
        assertThat(IpPrefix.parse("10.0.0.0/8")).isNotEqualTo(IpPrefix.parse("10.0.0.0/16"));
    }

    @Test
    void ordersIpv4BeforeIpv6ThenByAddressThenByLength() {
        assertThat(IpPrefix.parse("2001:db8::1")).isGreaterThan(IpPrefix.parse("255.255.255.255"));
        assertThat(IpPrefix.parse("10.0.0.0/8")).isLessThan(IpPrefix.parse("10.0.0.0/16"));
        assertThat(IpPrefix.parse("128.0.0.0/8")).isGreaterThan(IpPrefix.parse("10.0.0.0/8"));
    }
}

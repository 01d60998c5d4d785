package dev.anycastd.daemon.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anycastd.core.check.Health;
import java.net.InetAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalAddressCheckTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    private static InetAddress address(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void isHealthyWhileTheAddressIsOnTheNamedInterfaceAndSaysWhichAddressIsMissingOtherwise() throws Exception {
        Map<String, List<InetAddress>> host = Map.of("lo", List.of(address("127.0.0.1")), "eth0", List.of(address("203.0.113.53")));
        LocalAddressCheck onLo = new LocalAddressCheck("guard", address("203.0.113.53"), "lo", SECOND, host::get);
        LocalAddressCheck onEth0 = new LocalAddressCheck("guard", address("203.0.113.53"), "eth0", SECOND, host::get);
        LocalAddressCheck onMissing = new LocalAddressCheck("guard", address("203.0.113.53"), "dummy0", SECOND, host::get);

        assertThat(onLo.check()).isEqualTo(Health.unhealthy("203.0.113.53 is not on interface lo"));
        assertThat(onEth0.check()).isEqualTo(Health.healthy());
        assertThat(onMissing.check()).isEqualTo(Health.unhealthy("203.0.113.53 is not on interface dummy0: no such interface"));
    }

    @Test
    void withoutAnInterfaceAnyInterfaceWillDo() throws Exception {
        List<InetAddress> host = List.of(address("2001:db8::53"));
        LocalAddressCheck check = new LocalAddressCheck("guard", address("2001:db8::53"), null, SECOND, name -> host);
        LocalAddressCheck missing = new LocalAddressCheck("guard", address("2001:db8::54"), null, SECOND, name -> host);

        assertThat(check.check()).isEqualTo(Health.healthy());
        assertThat(missing.check()).isEqualTo(Health.unhealthy("2001:db8:0:0:0:0:0:54 is not on any local interface"));
    }

    @Test
    void aFailureToReadTheInterfacesIsUnknownNotHealthy() throws Exception {
        LocalAddressCheck check = new LocalAddressCheck("guard", address("203.0.113.53"), null, SECOND, name -> {
            throw new SocketException("netlink said no");
        });

        assertThat(check.check()).isInstanceOf(Health.Unknown.class);
    }

    @Test
    void readsTheRealLoopbackWithTheJdk() throws Exception {
        assertThat(new LocalAddressCheck("guard", address("127.0.0.1"), "lo", SECOND, LocalAddressCheck::jdkAddresses).check())
                .isEqualTo(Health.healthy());
        assertThat(new LocalAddressCheck("guard", address("::1"), null, SECOND, LocalAddressCheck::jdkAddresses).check())
                .isEqualTo(Health.healthy());
        assertThat(new LocalAddressCheck("guard", address("192.0.2.254"), null, SECOND, LocalAddressCheck::jdkAddresses).check())
                .isEqualTo(Health.unhealthy("192.0.2.254 is not on any local interface"));
    }
}

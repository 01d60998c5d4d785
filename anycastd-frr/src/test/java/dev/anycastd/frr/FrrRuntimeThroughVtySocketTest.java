package dev.anycastd.frr;

import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.spi.Options;
import dev.anycastd.testkit.frr.FakeVtySocket;
import dev.anycastd.testkit.frr.FrrLab;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** The runtime on real FRR through bgpd's vty socket. */
class FrrRuntimeThroughVtySocketTest extends FrrRuntimeTest {

    private FakeVtySocket hanging;

    FrrRuntimeThroughVtySocketTest(FrrLab lab) {
        super(lab, LabTransport.VTY_SOCKET);
    }

    @Override
    Prefix hangingPrefix(String address) throws Exception {
        // A fake daemon socket: it answers the AS number lookup as bgpd would, then never answers a change.
        hanging = FakeVtySocket.listen(directory.resolve("bgpd.vty"), line -> line.startsWith("show bgp detail json")
                ? new FakeVtySocket.Reply.Answer("{\"localAS\":" + FrrLab.HOST_ASN + "}\n", FakeVtySocket.SUCCESS)
                : line.equals("enable") ? new FakeVtySocket.Reply.Answer("", FakeVtySocket.SUCCESS) : new FakeVtySocket.Reply.Silence());
        return provider.create(Options.of("services.ntp.prefixes.frrouting[0]",
                Map.of("prefix", address, "transport", "vty", "vty-socket", hanging.path().toString(), "timeout", "2s")));
    }

    @AfterEach
    void closeFake() {
        if (hanging != null) {
            hanging.close();
        }
    }
}

package dev.anycastd.frr;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.spi.Options;
import dev.anycastd.testkit.contract.PrefixContract;
import dev.anycastd.testkit.frr.FrrLab;
import dev.anycastd.testkit.frr.FrrLabExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * FrrPrefix honours the prefix contract every plugin is held to, on a real FRR router, through
 * each transport ({@link FrrPrefixContractThroughVtyshTest}, {@link FrrPrefixContractThroughVtySocketTest}),
 * each with a lab of its own.
 */
@ExtendWith(FrrLabExtension.class)
abstract class FrrPrefixContractTest extends PrefixContract {

    private final FrrLab lab;
    private final LabTransport transport;
    private final FrrPrefixProvider provider = new FrrPrefixProvider();
    private final List<Prefix> made = new ArrayList<>();

    FrrPrefixContractTest(FrrLab lab, LabTransport transport) {
        this.lab = lab;
        this.transport = transport;
    }

    @Override
    protected Prefix newPrefix(int index) throws Exception {
        IpPrefix network = IpPrefix.parse("198.51.100." + (200 + index));
        lab.host().addLoopbackAddresses(List.of(network));
        Map<String, String> options = new HashMap<>(transport.options(lab.host()));
        options.put("prefix", network.toString());
        Prefix prefix = provider.create(Options.of("services.contract.prefixes.frrouting[" + index + "]", options));
        prefix.withdraw();
        made.add(prefix);
        return prefix;
    }

    @AfterEach
    void withdrawEverything() throws Exception {
        for (Prefix prefix : made) {
            prefix.withdraw();
        }
    }
}

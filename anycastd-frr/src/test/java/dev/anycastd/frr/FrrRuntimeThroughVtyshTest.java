package dev.anycastd.frr;

import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.spi.Options;
import dev.anycastd.testkit.frr.FrrLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/** The runtime on real FRR through the vtysh program. */
class FrrRuntimeThroughVtyshTest extends FrrRuntimeTest {

    FrrRuntimeThroughVtyshTest(FrrLab lab) {
        super(lab, LabTransport.VTYSH);
    }

    @Override
    Prefix hangingPrefix(String address) throws Exception {
        // Answers start-up's verification through the lab's vtysh, then hangs on every change.
        Path hanging = Files.writeString(directory.resolve("vtysh-hanging"), "#!/bin/sh\ncase \"$*\" in *\"detail json\"*) exec "
                + lab.host().vtysh() + " \"$@\";; esac\nexec sleep 60\n");
        Files.setPosixFilePermissions(hanging, PosixFilePermissions.fromString("rwx------"));
        return provider.create(Options.of("services.ntp.prefixes.frrouting[0]",
                Map.of("prefix", address, "transport", "vtysh", "vtysh", hanging.toString(), "timeout", "2s")));
    }
}

package dev.anycastd.frr;

import dev.anycastd.testkit.frr.FrrLab;
import java.util.Map;

/** The two ways to reach a lab router's bgpd, as prefix options: the lab tests run once for each. */
enum LabTransport {

    /** The router's vtysh (the lab's wrapper, pointed at the router's sockets). */
    VTYSH {
        @Override
        Map<String, String> options(FrrLab.Router router) {
            return Map.of("transport", "vtysh", "vtysh", router.vtysh().toString());
        }
    },

    /** The router's bgpd vty socket, no process started. */
    VTY_SOCKET {
        @Override
        Map<String, String> options(FrrLab.Router router) {
            return Map.of("transport", "vty", "vty-socket", router.bgpdVtySocket().toString());
        }
    };

    /** The prefix options that make anycastd talk to {@code router} this way. */
    abstract Map<String, String> options(FrrLab.Router router);
}

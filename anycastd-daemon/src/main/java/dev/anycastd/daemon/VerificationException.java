package dev.anycastd.daemon;

import java.util.List;

/**
 * The routing daemon cannot carry some configured prefixes (for FRR: vtysh does not run, or BGP
 * is not configured in the VRF), found before anything was announced. Exit code 78.
 */
final class VerificationException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param failures one line per prefix: service, prefix and the routing daemon's reason */
    VerificationException(List<String> failures) {
        super("the routing daemon cannot carry " + (failures.size() == 1 ? "a prefix" : failures.size() + " prefixes")
                + "; fix it and start again:\n" + String.join("\n", failures));
    }
}

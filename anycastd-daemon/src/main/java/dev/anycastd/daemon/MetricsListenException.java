package dev.anycastd.daemon;

import java.net.InetSocketAddress;

/** The metrics listener could not be opened: the address is in use or not one of this host's. */
final class MetricsListenException extends Exception {

    private static final long serialVersionUID = 1L;

    MetricsListenException(InetSocketAddress address, Exception cause) {
        super("--metrics-listen " + address.getHostString() + ":" + address.getPort() + ": cannot listen there: " + cause.getMessage()
                + "; is another program (or another anycastd) using that port?", cause);
    }
}

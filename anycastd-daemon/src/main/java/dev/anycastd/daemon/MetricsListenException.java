package dev.anycastd.daemon;

import java.net.InetSocketAddress;

/** The metrics listener could not be opened: the address is in use or not one of this host's. */
final class MetricsListenException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param origin what asked for the address: {@code --metrics-listen}, or the configuration key and its file */
    MetricsListenException(String origin, InetSocketAddress address, Exception cause) {
        super(origin + " " + address.getHostString() + ":" + address.getPort() + ": cannot listen there: " + cause.getMessage()
                + "; is another program (or another anycastd) using that port?", cause);
    }
}

package dev.anycastd.daemon.systemd;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * {@code sd_notify(3)} from libsystemd, called through JNA: systemd's own client of its notify
 * protocol (the datagram socket in {@code NOTIFY_SOCKET}, abstract or not, and its credentials),
 * which Java's standard library cannot speak (no datagram Unix sockets).
 */
final class Libsystemd implements SystemdNotifier.Channel {

    /** The part of libsystemd's ABI used here. */
    interface Api extends Library {
        /** Sends {@code state} to the socket in {@code NOTIFY_SOCKET}; negative errno on failure, 0 when unset. */
        int sd_notify(int unsetEnvironment, String state);
    }

    private final Api api;

    private Libsystemd(Api api) {
        this.api = api;
    }

    /**
     * Loads libsystemd; only called under systemd ({@code NOTIFY_SOCKET} set), where it is present.
     *
     * @throws UnsatisfiedLinkError when it is not
     */
    static Libsystemd load() {
        return new Libsystemd(Native.load("libsystemd.so.0", Api.class));
    }

    @Override
    public int send(String state) {
        return api.sd_notify(0, state);
    }
}

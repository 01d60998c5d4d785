package dev.anycastd.daemon.systemd;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for systemd's notify socket: a datagram Unix socket the test binds, through JNA
 * and libc as the notifier itself uses JNA and libsystemd. {@link #messages()} answers every
 * notification received so far, one string each (e.g. {@code "READY=1\nSTATUS=..."}).
 */
public final class NotifySocket implements AutoCloseable {

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int MSG_DONTWAIT = 0x40;

    /** The libc calls the test needs; x86_64 and aarch64 Linux, where size_t and ssize_t are 64 bits. */
    interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        int bind(int fd, byte[] address, int length);

        long recv(int fd, byte[] buffer, long length, int flags);

        int close(int fd);

        int setenv(String name, String value, int overwrite);

        int unsetenv(String name);
    }

    static final LibC LIBC = Native.load("c", LibC.class);

    private final Path path;
    private final int fd;
    private final List<String> received = new ArrayList<>();

    private NotifySocket(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Binds a socket at {@code path} (which must not exist, at most 107 bytes). */
    public static NotifySocket bind(Path path) throws IOException {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        byte[] address = new byte[2 + name.length + 1];
        address[0] = AF_UNIX; // sa_family_t, little-endian
        System.arraycopy(name, 0, address, 2, name.length);
        int fd = LIBC.socket(AF_UNIX, SOCK_DGRAM, 0);
        if (fd < 0) {
            throw new IOException("socket(AF_UNIX, SOCK_DGRAM) failed: errno " + Native.getLastError());
        }
        if (LIBC.bind(fd, address, address.length) != 0) {
            int errno = Native.getLastError();
            LIBC.close(fd);
            throw new IOException("bind(" + path + ") failed: errno " + errno);
        }
        return new NotifySocket(path, fd);
    }

    /** The socket's path: what {@code NOTIFY_SOCKET} names. */
    public Path path() {
        return path;
    }

    /** Every notification received so far, oldest first. */
    public synchronized List<String> messages() {
        byte[] buffer = new byte[4096];
        while (true) {
            long length = LIBC.recv(fd, buffer, buffer.length, MSG_DONTWAIT);
            if (length < 0) {
                break;
            }
            received.add(new String(buffer, 0, (int) length, StandardCharsets.UTF_8));
        }
        return List.copyOf(received);
    }

    /** How many notifications so far carried {@code assignment}, e.g. {@code "WATCHDOG=1"}. */
    public long count(String assignment) {
        return messages().stream().filter(message -> message.lines().anyMatch(assignment::equals)).count();
    }

    /** Sets {@code NOTIFY_SOCKET} in this process's C environment, which libsystemd's sd_notify reads. */
    public void exportToThisProcess() {
        LIBC.setenv("NOTIFY_SOCKET", path.toString(), 1);
    }

    @Override
    public void close() {
        LIBC.unsetenv("NOTIFY_SOCKET");
        LIBC.close(fd);
    }
}

package dev.anycastd.daemon.host;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;

/**
 * Healthy while an address is configured on a local interface (any, or one named), as the JDK's
 * {@link NetworkInterface} reads them in the network namespace of this process. Announcing an
 * address the host does not answer for would draw traffic into a black hole.
 */
final class LocalAddressCheck implements HealthCheck {

    private final String name;
    private final InetAddress address;
    private final String interfaceName;
    private final Duration interval;
    private final Addresses addresses;

    /** Where the check reads the host's addresses from; the JDK's in production. */
    @FunctionalInterface
    interface Addresses {
        /**
         * The addresses on {@code interfaceName}, or on every interface when it is {@code null};
         * {@code null} when no interface has that name.
         */
        List<InetAddress> on(String interfaceName) throws SocketException;
    }

    /**
     * @param interfaceName the interface the address must be on, or {@code null} for any
     */
    LocalAddressCheck(String name, InetAddress address, String interfaceName, Duration interval, Addresses addresses) {
        this.name = Objects.requireNonNull(name, "name");
        this.address = Objects.requireNonNull(address, "address");
        this.interfaceName = interfaceName;
        this.interval = Objects.requireNonNull(interval, "interval");
        this.addresses = Objects.requireNonNull(addresses, "addresses");
    }

    @Override
    public String name() {
        return name;
    }

    /** {@code address local-address 203.0.113.53}: the type and the name; the settings say where it must be. */
    @Override
    public String describe() {
        return "address " + name;
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public List<String> settings() {
        return List.of(address.getHostAddress() + (interfaceName == null ? " on any local interface" : " on interface " + interfaceName));
    }

    @Override
    public Health check() {
        List<InetAddress> present;
        try {
            present = addresses.on(interfaceName);
        } catch (SocketException | RuntimeException e) {
            return Health.unknown("cannot read the local interfaces: " + e);
        }
        if (present == null) {
            return Health.unhealthy(address.getHostAddress() + " is not on interface " + interfaceName
                    + ": no such interface");
        }
        if (present.contains(address)) {
            return Health.healthy();
        }
        return Health.unhealthy(address.getHostAddress() + (interfaceName == null ? " is not on any local interface"
                : " is not on interface " + interfaceName));
    }

    /** The JDK's view of this process's network namespace. */
    static List<InetAddress> jdkAddresses(String interfaceName) throws SocketException {
        if (interfaceName != null) {
            NetworkInterface named = NetworkInterface.getByName(interfaceName);
            return named == null ? null : addressesOf(named);
        }
        List<InetAddress> all = new java.util.ArrayList<>();
        Enumeration<NetworkInterface> interfaces = NetworkInterface.getNetworkInterfaces();
        while (interfaces != null && interfaces.hasMoreElements()) {
            all.addAll(addressesOf(interfaces.nextElement()));
        }
        return all;
    }

    private static List<InetAddress> addressesOf(NetworkInterface networkInterface) {
        // An IPv6 address read from an interface carries its scope; compare on the bare bytes.
        return networkInterface.inetAddresses().map(LocalAddressCheck::unscoped).toList();
    }

    private static InetAddress unscoped(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("a local address of " + address.getAddress().length + " bytes", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LocalAddressCheck that && name.equals(that.name) && address.equals(that.address)
                && Objects.equals(interfaceName, that.interfaceName) && interval.equals(that.interval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, address, interfaceName, interval);
    }

    @Override
    public String toString() {
        return "LocalAddressCheck[" + name + "]";
    }
}

package dev.anycastd.core.prefix;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network: an address and a prefix length, with no host bits set.
 *
 * <p>Immutable and comparable (IPv4 before IPv6, then by address, then by length). A bare
 * address is a host route: {@code parse("203.0.113.53")} is {@code 203.0.113.53/32}. The
 * text form is the canonical one FRRouting prints ({@code 2001:db8::b19:bad:53/128}), so it
 * can be compared with what a routing daemon reports.
 *
 * <p>Parsing never consults DNS: only literal addresses are accepted.
 */
public final class IpPrefix implements Comparable<IpPrefix> {

    // Compiled once: String.matches compiles its pattern at every call, several times per address.
    private static final Pattern PREFIX_LENGTH = Pattern.compile("[0-9]{1,3}");
    private static final Pattern IPV4_PART = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern IPV6_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

    /** The two address families. */
    public enum Family {
        /** IPv4: 4-byte addresses, lengths 0 to 32. */
        IPV4(4),
        /** IPv6: 16-byte addresses, lengths 0 to 128. */
        IPV6(16);

        private final int bytes;

        Family(int bytes) {
            this.bytes = bytes;
        }

        /** The longest prefix of this family: 32 or 128. */
        public int maxLength() {
            return bytes * 8;
        }
    }

    private final byte[] address;
    private final int length;

    private IpPrefix(byte[] address, int length) {
        this.address = address;
        this.length = length;
    }

    /**
     * Parses {@code address} or {@code address/length}.
     *
     * @throws IllegalArgumentException if the text is not a literal IPv4 or IPv6 address with an
     *     optional length in range, or if bits beyond the length are set ({@code 192.0.2.1/24});
     *     the message quotes the input
     */
    public static IpPrefix parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text;
        int slash = trimmed.indexOf('/');
        String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] address = addressText.indexOf(':') >= 0 ? parseIpv6(addressText) : parseIpv4(addressText);
        if (address == null) {
            throw new IllegalArgumentException(
                    "\"" + text + "\" is not an IP address or prefix; expected e.g. 203.0.113.53, 192.0.2.0/24 or 2001:db8::53");
        }
        int max = address.length * 8;
        int length = max;
        if (slash >= 0) {
            String lengthText = trimmed.substring(slash + 1);
            if (!PREFIX_LENGTH.matcher(lengthText).matches() || Integer.parseInt(lengthText) > max) {
                throw new IllegalArgumentException(
                        "\"" + text + "\" has an invalid prefix length; expected 0 to " + max);
            }
            length = Integer.parseInt(lengthText);
        }
        if (!hostBitsClear(address, length)) {
            throw new IllegalArgumentException("\"" + text + "\" has host bits set; did you mean "
                    + new IpPrefix(mask(address, length), length) + "?");
        }
        return new IpPrefix(address, length);
    }

    /**
     * The network of {@code address} with the given length.
     *
     * @throws IllegalArgumentException if the length is out of range or host bits are set
     */
    public static IpPrefix of(InetAddress address, int length) {
        byte[] bytes = address.getAddress();
        if (length < 0 || length > bytes.length * 8) {
            throw new IllegalArgumentException("prefix length " + length + " is out of range for " + address.getHostAddress());
        }
        if (!hostBitsClear(bytes, length)) {
            throw new IllegalArgumentException(address.getHostAddress() + "/" + length + " has host bits set");
        }
        return new IpPrefix(bytes, length);
    }

    /** IPv4 or IPv6. */
    public Family family() {
        return address.length == 4 ? Family.IPV4 : Family.IPV6;
    }

    /** The prefix length in bits. */
    public int length() {
        return length;
    }

    /** The network address (no DNS lookup involved). */
    public InetAddress address() {
        try {
            return InetAddress.getByAddress(address.clone());
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    /** True for a /32 or /128. */
    public boolean isHostRoute() {
        return length == address.length * 8;
    }

    /** The canonical form, e.g. {@code 203.0.113.53/32} or {@code 2001:db8::b19:bad:53/128}. */
    @Override
    public String toString() {
        return (address.length == 4 ? formatIpv4(address) : formatIpv6(address)) + "/" + length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpPrefix that && length == that.length && Arrays.equals(address, that.address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + length;
    }

    @Override
    public int compareTo(IpPrefix other) {
        int byFamily = Integer.compare(address.length, other.address.length);
        if (byFamily != 0) {
            return byFamily;
        }
        int byAddress = Arrays.compareUnsigned(address, other.address);
        return byAddress != 0 ? byAddress : Integer.compare(length, other.length);
    }

    private static boolean hostBitsClear(byte[] address, int length) {
        return Arrays.equals(address, mask(address, length));
    }

    private static byte[] mask(byte[] address, int length) {
        byte[] masked = address.clone();
        for (int bit = length; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }

    /** Strict dotted quad: four decimal octets, no leading zeros (which some parsers read as octal). */
    private static byte[] parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (!IPV4_PART.matcher(part).matches() || Integer.parseInt(part) > 255) {
                return null;
            }
            bytes[i] = (byte) Integer.parseInt(part);
        }
        return bytes;
    }

    private static byte[] parseIpv6(String text) {
        if (text.isEmpty() || !IPV6_CHARACTERS.matcher(text).matches()) {
            return null;
        }
        byte[] tail4 = null;
        String groupsText = text;
        int lastColon = text.lastIndexOf(':');
        if (text.indexOf('.') >= 0) {
            tail4 = parseIpv4(text.substring(lastColon + 1));
            if (tail4 == null) {
                return null;
            }
            groupsText = text.substring(0, lastColon + 1) + "0:0";
        }
        int doubleColon = groupsText.indexOf("::");
        if (doubleColon >= 0 && groupsText.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        String head = doubleColon >= 0 ? groupsText.substring(0, doubleColon) : groupsText;
        String tail = doubleColon >= 0 ? groupsText.substring(doubleColon + 2) : "";
        int[] headGroups = groups(head);
        int[] tailGroups = groups(tail);
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int given = headGroups.length + tailGroups.length;
        if (doubleColon < 0 ? given != 8 : given > 7) {
            return null;
        }
        int[] all = new int[8];
        System.arraycopy(headGroups, 0, all, 0, headGroups.length);
        System.arraycopy(tailGroups, 0, all, 8 - tailGroups.length, tailGroups.length);
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[2 * i] = (byte) (all[i] >>> 8);
            bytes[2 * i + 1] = (byte) all[i];
        }
        if (tail4 != null) {
            System.arraycopy(tail4, 0, bytes, 12, 4);
        }
        return bytes;
    }

    private static int[] groups(String text) {
        if (text.isEmpty()) {
            return new int[0];
        }
        String[] parts = text.split(":", -1);
        int[] groups = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!IPV6_GROUP.matcher(parts[i]).matches()) {
                return null;
            }
            groups[i] = Integer.parseInt(parts[i], 16);
        }
        return groups;
    }

    private static String formatIpv4(byte[] a) {
        return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
    }

    /** RFC 5952: lower case, no leading zeros, the longest run (of two or more) of zero groups as "::". */
    private static String formatIpv6(byte[] a) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}

package dev.anycastd.config.toml;

import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.ConfigurationException.Kind;
import dev.anycastd.core.spi.ConfigurationException.Problem;
import dev.anycastd.core.spi.Location;
import dev.anycastd.core.spi.Providers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads anycastd's TOML configuration file into service definitions.
 *
 * <p>The schema is the original anycastd's, unchanged: a table per service under
 * {@code services}, whose {@code prefixes} and {@code checks} tables map a provider type to a
 * list of items. An item is a table of the provider's options, or a bare string standing for
 * the provider's one required option (the short form). A service may also set {@code rise} and
 * {@code fall}, positive integers (default 1).
 *
 * <pre>{@code
 * [services.dns]
 * prefixes.frrouting = ["2001:db8::b19:bad:53", "203.0.113.53"]
 * checks.cabourotte = ["dns"]
 *
 * [services.ntp]
 * prefixes.frrouting = [{ prefix = "203.0.113.123", vrf = "123" }]
 * checks.cabourotte = [{ name = "ntp_v4", interval = 1 }]
 * }</pre>
 *
 * <p>Besides {@code services}, the top level may give daemon-wide settings, additions the
 * original does not know: {@code metrics-listen}, {@code control-socket} and
 * {@code shutdown-timeout} ({@link DaemonSettings}); {@link #read} answers them with the
 * services.
 *
 * <p>Each prefix and check is built by the provider of its type, which validates its own
 * options. Every problem in a file (TOML syntax, the schema, a provider's validation) is
 * reported in one {@link ConfigurationException}, in file order, each with its key path
 * ({@code services.ntp.prefixes.frrouting[0].vrf}), line and column. Keys the schema does not
 * know are errors that suggest the closest known key.
 */
public final class TomlConfiguration {

    /**
     * The largest configuration file read, 16 MiB: hundreds of times a real one (5,000 services
     * take 600 KB), and a bound on what a wrong path ({@code /dev/zero}, a log file) makes
     * anycastd read.
     */
    public static final int MAX_FILE_BYTES = 16 * 1024 * 1024;

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private TomlConfiguration() {
    }

    /**
     * Reads and checks the configuration file {@code file}.
     *
     * @return the services, in the order the file names them
     * @throws ConfigurationException of kind {@link Kind#MISSING_FILE} when there is no such
     *     file, {@link Kind#UNREADABLE_FILE} when it cannot be read or is a directory,
     *     {@link Kind#SYNTAX} when it is not UTF-8 encoded TOML, and {@link Kind#INVALID} when
     *     it is TOML but not a valid configuration, or larger than {@link #MAX_FILE_BYTES}
     */
    public static List<ServiceDefinition> load(Path file, Providers providers) throws ConfigurationException {
        return read(file, providers).services();
    }

    /**
     * Reads and checks the configuration file {@code file}: its services and the daemon-wide
     * settings at its top level ({@link DaemonSettings}).
     *
     * @throws ConfigurationException as {@link #load} does; a wrong setting is of kind
     *     {@link Kind#INVALID}, naming its key and line
     */
    public static Configuration read(Path file, Providers providers) throws ConfigurationException {
        return withinMemory(file, () -> parseConfiguration(readBytes(file), file, providers));
    }

    /**
     * Reads only the daemon-wide settings of {@code file}, building no service, for a command
     * that needs a setting but runs no service (the control commands look for the control
     * socket). Other keys are not checked.
     *
     * @throws ConfigurationException as {@link #read} does, for the settings only
     */
    public static DaemonSettings readSettings(Path file) throws ConfigurationException {
        return withinMemory(file, () -> new ConfigurationReader(SourceText.of(decode(file, readBytes(file)), file), null)
                .readSettings());
    }

    /** The bytes of a file, which must be UTF-8 encoded TOML. */
    static List<ServiceDefinition> parse(byte[] bytes, Path file, Providers providers) throws ConfigurationException {
        return parse(decode(file, bytes), file, providers);
    }

    private static Configuration parseConfiguration(byte[] bytes, Path file, Providers providers) throws ConfigurationException {
        return parseConfiguration(decode(file, bytes), file, providers);
    }

    /**
     * Checks configuration text that was read from {@code file}.
     *
     * @param text the whole file
     * @param file where the text came from, named in messages; {@code null} when it came from
     *     nowhere in particular
     * @return the services, in the order the text names them
     * @throws ConfigurationException of kind {@link Kind#SYNTAX} when the text is not TOML and
     *     {@link Kind#INVALID} when it is TOML but not a valid configuration
     */
    public static List<ServiceDefinition> parse(String text, Path file, Providers providers) throws ConfigurationException {
        return parseConfiguration(text, file, providers).services();
    }

    /**
     * Checks configuration text that was read from {@code file}, as {@link #parse(String, Path, Providers)}
     * does, and answers its services with its daemon-wide settings.
     */
    public static Configuration parseConfiguration(String text, Path file, Providers providers) throws ConfigurationException {
        return withinMemory(file, () -> new ConfigurationReader(SourceText.of(text, file), providers).read());
    }

    @FunctionalInterface
    private interface Reading<T> {
        T read() throws ConfigurationException;
    }

    /**
     * Runs {@code reading}, turning the heap or the stack running out into a configuration error
     * of kind {@link Kind#INVALID} (exit 65): a configuration too large for this JVM, which
     * restarting would not fix.
     */
    private static <T> T withinMemory(Path file, Reading<T> reading) throws ConfigurationException {
        try {
            return reading.read();
        } catch (OutOfMemoryError e) {
            // tomlj holds about 150 bytes of parse tree per byte of TOML it parses at once (a section,
            // or a whole file TomlSections leaves to it). All that reading held is garbage once here,
            // so there is memory again for the message.
            long heapMib = Runtime.getRuntime().maxMemory() / (1024 * 1024);
            long largerMib = (heapMib * 2 + 63) / 64 * 64;
            throw fileProblem(Kind.INVALID, file, "reading it ran out of memory: the Java heap (" + heapMib + " MiB) is too small for"
                    + " this configuration; give Java a larger heap, e.g. -Xmx" + largerMib + "m (anycastd's launcher takes Java"
                    + " options from ANYCASTD_OPTS)");
        } catch (StackOverflowError e) {
            throw fileProblem(Kind.INVALID, file, "reading it overflowed the Java thread's stack; nest arrays and tables less deeply,"
                    + " or give Java a larger stack, e.g. -Xss4m (anycastd's launcher takes Java options from ANYCASTD_OPTS)");
        }
    }

    private static byte[] readBytes(Path file) throws ConfigurationException {
        if (Files.isDirectory(file)) {
            throw fileProblem(Kind.UNREADABLE_FILE, file, "is a directory; give the path of the configuration file");
        }
        byte[] bytes;
        // Read as a stream with a bound, so that not even an endless file is read to its end.
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw fileProblem(Kind.MISSING_FILE, file, "no such file; create it or give the path of the configuration file");
        } catch (IOException | SecurityException e) {
            throw fileProblem(Kind.UNREADABLE_FILE, file, "cannot be read (" + e + "); check the file and its permissions");
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw fileProblem(Kind.INVALID, file, "is larger than 16 MiB, the most anycastd reads; a configuration of 5,000 services "
                    + "takes about 600 KB, so give the path of the configuration file");
        }
        return bytes;
    }

    /** Strict UTF-8, as TOML requires; the error names the line and column of the first bad byte. */
    private static String decode(Path file, byte[] bytes) throws ConfigurationException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            out.flip();
            String before = out.toString();
            int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
            String lineSoFar = before.substring(before.lastIndexOf('\n') + 1);
            int column = 1 + lineSoFar.codePointCount(0, lineSoFar.length());
            throw new ConfigurationException(Kind.SYNTAX, List.of(new Problem("", new Location(file, line, column),
                    String.format("byte 0x%02X is not valid UTF-8; save the file as UTF-8", bytes[in.position()] & 0xff))));
        }
        decoder.flush(out);
        out.flip();
        String text = out.toString();
        // Editors on some systems write a byte order mark; it carries no meaning in UTF-8.
        return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    }

    private static ConfigurationException fileProblem(Kind kind, Path file, String message) {
        return new ConfigurationException(kind, List.of(new Problem("", new Location(file, 0, 0), message)));
    }
}

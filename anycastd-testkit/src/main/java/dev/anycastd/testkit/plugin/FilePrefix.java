package dev.anycastd.testkit.plugin;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.prefix.PrefixRecord;
import dev.anycastd.core.prefix.RoutingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A fake {@link Prefix} whose announcement is a file: {@code DIRECTORY/203.0.113.53_32} exists
 * while it is announced. Thread-safe as far as the file system is.
 */
public final class FilePrefix implements Prefix {

    private final IpPrefix prefix;
    private final Path directory;

    /** A prefix announced into {@code directory}. */
    public FilePrefix(IpPrefix prefix, Path directory) {
        this.prefix = prefix;
        this.directory = directory;
    }

    /** The file that exists while {@code prefix} is announced in {@code directory}. */
    public static Path marker(Path directory, IpPrefix prefix) {
        return directory.resolve(prefix.toString().replace('/', '_').replace(':', '-'));
    }

    @Override
    public IpPrefix prefix() {
        return prefix;
    }

    @Override
    public void announce() throws RoutingException {
        try {
            Files.writeString(marker(directory, prefix), prefix + "\n");
        } catch (IOException e) {
            throw new RoutingException("cannot announce " + prefix + " into " + directory + ": " + e, e);
        }
    }

    @Override
    public void withdraw() throws RoutingException {
        try {
            Files.deleteIfExists(marker(directory, prefix));
        } catch (IOException e) {
            throw new RoutingException("cannot withdraw " + prefix + " from " + directory + ": " + e, e);
        }
    }

    @Override
    public boolean isAnnounced() {
        return Files.exists(marker(directory, prefix));
    }

    @Override
    public void verify() throws RoutingException {
        if (!Files.isDirectory(directory)) {
            throw new RoutingException("directory " + directory + " does not exist; create it");
        }
    }

    @Override
    public String announcedIn() {
        return FileRoutingProvider.TYPE + " into " + directory;
    }

    @Override
    public Optional<PrefixRecord> record() {
        return Optional.of(new PrefixRecord(FileRoutingProvider.TYPE, Map.of("prefix", prefix.toString(), "directory", directory.toString())));
    }

    @Override
    public String describe() {
        return prefix + " (" + FileRoutingProvider.TYPE + ")";
    }
}

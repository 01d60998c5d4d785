package dev.anycastd.testkit.plugin;

import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Options;
import dev.anycastd.core.spi.PrefixProvider;
import java.nio.file.Path;
import java.util.List;

/**
 * A fake routing daemon, type {@code file-routing}: a prefix is "announced" while a file named
 * after it exists in a directory. Options: {@code prefix} (required), {@code directory}
 * (required; {@link Prefix#verify()} fails when it does not exist, as FRR's does when BGP is
 * not configured).
 */
public final class FileRoutingProvider implements PrefixProvider {

    /** The type name configurations select this fake by. */
    public static final String TYPE = "file-routing";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> requiredOptions() {
        return List.of("prefix");
    }

    @Override
    public Prefix create(Options options) throws ConfigurationException {
        options.requireOnly("prefix", "directory");
        Path directory = options.getPath("directory", null);
        if (directory == null) {
            throw options.error("directory", "required option \"directory\" is missing; give the directory the fake announces into");
        }
        return new FilePrefix(options.getPrefix("prefix"), directory);
    }
}

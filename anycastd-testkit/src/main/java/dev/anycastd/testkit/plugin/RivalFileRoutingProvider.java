package dev.anycastd.testkit.plugin;

import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Options;
import dev.anycastd.core.spi.PrefixProvider;

/**
 * A fake second provider of type {@code file-routing}, as if another plugin author had chosen
 * the same name: for tests that two plugins claiming one type are refused, naming both.
 */
public final class RivalFileRoutingProvider implements PrefixProvider {

    @Override
    public String type() {
        return FileRoutingProvider.TYPE;
    }

    @Override
    public Prefix create(Options options) throws ConfigurationException {
        return new FileRoutingProvider().create(options);
    }
}

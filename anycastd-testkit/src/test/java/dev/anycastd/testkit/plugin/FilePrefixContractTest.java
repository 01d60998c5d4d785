package dev.anycastd.testkit.plugin;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.testkit.contract.PrefixContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract every Prefix plugin is held to, for FilePrefix (the testkit's fake routing daemon). */
class FilePrefixContractTest extends PrefixContract {

    /** A fresh directory per test: every test starts with nothing announced, as the contract wants. */
    @TempDir
    Path routes;

    @Override
    protected Prefix newPrefix(int index) {
        return new FilePrefix(IpPrefix.parse("203.0.113." + (index + 1)), routes);
    }
}

package dev.anycastd.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.HealthCheckProvider;
import dev.anycastd.core.spi.Options;
import dev.anycastd.core.spi.PrefixProvider;
import dev.anycastd.core.spi.Providers;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract of a provider: it is registered for {@link java.util.ServiceLoader}, builds a
 * port from valid options, rejects unknown options and missing required ones with the key
 * path. Extend it once per provider, returning either a {@link PrefixProvider} or a
 * {@link HealthCheckProvider}.
 */
public abstract class ProviderContract {

    /** The provider under test: a {@link PrefixProvider} or a {@link HealthCheckProvider}. */
    protected abstract Object provider();

    /** Options with which the provider builds its port without error (no I/O may happen). */
    protected abstract Map<String, Object> validOptions();

    private static final String PATH = "services.contract.items.under-test[0]";

    @Test
    void theProviderIsRegisteredForServiceLoader() throws ConfigurationException {
        Providers providers = Providers.load(provider().getClass().getClassLoader());

        if (provider() instanceof PrefixProvider prefixProvider) {
            assertThat(providers.prefixProvider(prefixProvider.type(), PATH, dev.anycastd.core.spi.Location.UNKNOWN))
                    .isInstanceOf(provider().getClass());
        } else {
            HealthCheckProvider checkProvider = (HealthCheckProvider) provider();
            assertThat(providers.checkProvider(checkProvider.type(), PATH, dev.anycastd.core.spi.Location.UNKNOWN))
                    .isInstanceOf(provider().getClass());
        }
    }

    @Test
    void theTypeNameIsLowerCaseWithoutSpaces() {
        assertThat(type()).matches("[a-z][a-z0-9-]*");
    }

    @Test
    void validOptionsBuildAPort() throws ConfigurationException {
        assertThat(create(validOptions())).isNotNull();
    }

    @Test
    void anUnknownOptionIsRejectedWithItsKeyPath() {
        Map<String, Object> options = new HashMap<>(validOptions());
        options.put("no-such-option", "x");

        assertThatThrownBy(() -> create(options))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(PATH + ".no-such-option")
                .hasMessageContaining("unknown option");
    }

    @Test
    void eachMissingRequiredOptionIsNamed() {
        for (String required : requiredOptions()) {
            Map<String, Object> options = new HashMap<>(validOptions());
            options.remove(required);

            assertThatThrownBy(() -> create(options))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining(PATH + "." + required);
        }
    }

    private String type() {
        return provider() instanceof PrefixProvider prefixProvider ? prefixProvider.type()
                : ((HealthCheckProvider) provider()).type();
    }

    private java.util.List<String> requiredOptions() {
        return provider() instanceof PrefixProvider prefixProvider ? prefixProvider.requiredOptions()
                : ((HealthCheckProvider) provider()).requiredOptions();
    }

    private Object create(Map<String, Object> values) throws ConfigurationException {
        Options options = Options.of(PATH, values);
        return provider() instanceof PrefixProvider prefixProvider ? prefixProvider.create(options)
                : ((HealthCheckProvider) provider()).create(options);
    }
}

package dev.anycastd.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anycastd.core.check.Health;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProvidersTest {

    @Test
    void findsProvidersRegisteredForServiceLoader() throws ConfigurationException {
        Providers providers = Providers.load(getClass().getClassLoader());

        assertThat(providers.prefixTypes()).contains("listed");
        assertThat(providers.checkTypes()).contains("listed");
        assertThat(providers.prefixProvider("listed", "services.a.prefixes.listed", Location.UNKNOWN))
                .isInstanceOf(ListedPrefixProvider.class);
    }

    @Test
    void unknownTypeListsTheKnownOnes() throws ConfigurationException {
        Providers providers = Providers.of(List.of(new NamedPrefixProvider("frrouting")),
                List.of(new NamedCheckProvider("cabourotte"), new NamedCheckProvider("exec")));

        assertThatThrownBy(() -> providers.checkProvider("consul", "services.dns.checks.consul", new Location(null, 3, 1)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("line 3:1: services.dns.checks.consul: unknown check type \"consul\"; known: cabourotte, exec."
                        + " Is its plugin jar in the plugins directory?");
    }

    @Test
    void unknownTypeCloseToAKnownOneSuggestsIt() throws ConfigurationException {
        Providers providers = Providers.of(List.of(new NamedPrefixProvider("frrouting")), List.of());

        assertThatThrownBy(() -> providers.prefixProvider("frrrouting", "services.dns.prefixes.frrrouting", Location.UNKNOWN))
                .hasMessageContaining("unknown prefix type \"frrrouting\" (did you mean \"frrouting\"?); known: frrouting");
    }

    @Test
    void twoProvidersOfOneTypeAreRejectedNamingBoth() {
        assertThatThrownBy(() -> Providers.of(List.of(new NamedPrefixProvider("bird"), new OtherPrefixProvider()), List.of()))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ConfigurationException.Kind.PLUGINS);
                    assertThat(e.getMessage())
                            .contains("prefix type \"bird\" is provided twice")
                            .contains(NamedPrefixProvider.class.getName())
                            .contains(OtherPrefixProvider.class.getName());
                });
    }

    @Test
    void aProviderThatCannotBeLoadedIsAPluginError() {
        ClassLoader broken = new ClassLoader(getClass().getClassLoader()) {
            @Override
            public java.util.Enumeration<java.net.URL> getResources(String name) throws java.io.IOException {
                if (name.endsWith(PrefixProvider.class.getName())) {
                    java.nio.file.Path listing = java.nio.file.Files.createTempFile("services", ".txt");
                    java.nio.file.Files.writeString(listing, "dev.anycastd.example.Missing\n");
                    listing.toFile().deleteOnExit();
                    return java.util.Collections.enumeration(List.of(listing.toUri().toURL()));
                }
                return super.getResources(name);
            }
        };

        assertThatThrownBy(() -> Providers.load(broken))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ConfigurationException.Kind.PLUGINS);
                    assertThat(e.getMessage()).contains("could not load a PrefixProvider").contains("dev.anycastd.example.Missing");
                });
    }

    /** Registered in this module's test META-INF/services. */
    public static final class ListedPrefixProvider extends NamedPrefixProvider {
        public ListedPrefixProvider() {
            super("listed");
        }
    }

    /** Registered in this module's test META-INF/services. */
    public static final class ListedCheckProvider extends NamedCheckProvider {
        public ListedCheckProvider() {
            super("listed");
        }
    }

    static class NamedPrefixProvider implements PrefixProvider {
        private final String type;

        NamedPrefixProvider(String type) {
            this.type = type;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public Prefix create(Options options) throws ConfigurationException {
            IpPrefix prefix = options.getPrefix("prefix");
            return new Prefix() {
                @Override
                public IpPrefix prefix() {
                    return prefix;
                }

                @Override
                public void announce() {
                }

                @Override
                public void withdraw() {
                }

                @Override
                public boolean isAnnounced() {
                    return false;
                }
            };
        }
    }

    static final class OtherPrefixProvider extends NamedPrefixProvider {
        OtherPrefixProvider() {
            super("bird");
        }
    }

    static class NamedCheckProvider implements HealthCheckProvider {
        private final String type;

        NamedCheckProvider(String type) {
            this.type = type;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public HealthCheck create(Options options) throws ConfigurationException {
            String name = options.getString("name");
            return new HealthCheck() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public Duration interval() {
                    return Duration.ofSeconds(5);
                }

                @Override
                public Health check() {
                    return Health.healthy();
                }
            };
        }
    }
}

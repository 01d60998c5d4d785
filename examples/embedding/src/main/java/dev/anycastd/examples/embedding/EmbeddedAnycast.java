package dev.anycastd.examples.embedding;

import dev.anycastd.cabourotte.CabourotteCheckProvider;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.runtime.AnycastRuntime;
import dev.anycastd.core.runtime.ServiceStatus;
import dev.anycastd.core.service.Policy;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Options;
import dev.anycastd.frr.FrrPrefixProvider;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Announces 203.0.113.53 through FRR while the Cabourotte check "dns" passes. */
public final class EmbeddedAnycast {

    private EmbeddedAnycast() {
    }

    /**
     * Builds the service in code and starts it; the caller closes the runtime, which withdraws
     * the prefix.
     *
     * @param vtysh the vtysh that reaches the FRR to announce through
     * @param cabourotte the base URL of Cabourotte's API
     * @param onChange told of every change of the service's status
     */
    public static AnycastRuntime start(Path vtysh, URI cabourotte, Consumer<ServiceStatus> onChange)
            throws ConfigurationException {
        // Ports are built by the same providers the daemon uses, from options given in code.
        Prefix prefix = new FrrPrefixProvider().create(Options.of("dns.prefixes[0]",
                Map.of("prefix", "203.0.113.53", "vtysh", vtysh.toString())));
        HealthCheck check = new CabourotteCheckProvider().create(Options.of("dns.checks[0]",
                Map.of("name", "dns", "url", cabourotte.toString(), "interval", "1s")));

        AnycastRuntime runtime = AnycastRuntime.builder()
                .service(new ServiceDefinition("dns", List.of(prefix), List.of(check), new Policy(2, 1)))
                .reconcileInterval(Duration.ofSeconds(10))
                .listener(onChange)
                .build();
        runtime.start();
        return runtime;
    }
}

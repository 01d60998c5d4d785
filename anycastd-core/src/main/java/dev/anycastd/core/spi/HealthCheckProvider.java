package dev.anycastd.core.spi;

import dev.anycastd.core.check.HealthCheck;
import java.util.List;

/**
 * Plugin SPI: builds {@link HealthCheck} ports of one check type.
 *
 * <p>Chosen when a service's configuration names its {@link #type()}, e.g.
 * {@code checks.cabourotte = [...]} selects the provider whose type is {@code cabourotte}.
 * Implementations are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.anycastd.core.spi.HealthCheckProvider} and give it a public
 * no-argument constructor. Only providers whose type the configuration names are used.
 */
public interface HealthCheckProvider {

    /** The type name the configuration selects this provider by: lower case, e.g. {@code cabourotte}. */
    String type();

    /**
     * The options that must be given. The configuration reader enforces them: {@link #create} is
     * called only when every one is present, and a missing one is an error naming it with its key
     * path and line. When there is exactly one, the configuration may give a bare string instead of
     * a table (the short form: {@code ["dns"]} means {@code [{name = "dns"}]}).
     */
    default List<String> requiredOptions() {
        return List.of();
    }

    /**
     * Builds one check from its options, validating every option and rejecting unknown ones
     * with {@link Options#requireOnly}.
     *
     * @throws ConfigurationException naming the option's key path, made with {@link Options#error}
     */
    HealthCheck create(Options options) throws ConfigurationException;

    /**
     * For providers whose checks receive pushed results: where to report each request their
     * receivers answer, replacing any listener given before. The daemon calls it once, before
     * the first check starts, when it serves metrics. The default ignores it, for providers
     * that receive nothing.
     */
    default void publishPushRequestsTo(PushRequestListener listener) {
    }
}

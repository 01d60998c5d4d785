package dev.anycastd.core.spi;

import dev.anycastd.core.prefix.Prefix;
import java.util.List;

/**
 * Plugin SPI: builds {@link Prefix} ports of one routing daemon type.
 *
 * <p>Chosen when a service's configuration names its {@link #type()}, e.g.
 * {@code prefixes.frrouting = [...]} selects the provider whose type is {@code frrouting}.
 * Implementations are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.anycastd.core.spi.PrefixProvider} and give it a public no-argument
 * constructor. Only providers whose type the configuration names are used.
 */
public interface PrefixProvider {

    /** The type name the configuration selects this provider by: lower case, e.g. {@code frrouting}. */
    String type();

    /**
     * The options that must be given. The configuration reader enforces them: {@link #create} is
     * called only when every one is present, and a missing one is an error naming it with its key
     * path and line. When there is exactly one, the configuration may give a bare string instead
     * of a table (the short form: {@code ["203.0.113.53"]} means {@code [{prefix = "203.0.113.53"}]}).
     */
    default List<String> requiredOptions() {
        return List.of();
    }

    /**
     * Builds one prefix from its options. Validates every option (and rejects unknown ones
     * with {@link Options#requireOnly}) but does not contact the routing daemon: that is
     * {@link Prefix#verify()}'s job.
     *
     * @throws ConfigurationException naming the option's key path, made with {@link Options#error}
     */
    Prefix create(Options options) throws ConfigurationException;
}

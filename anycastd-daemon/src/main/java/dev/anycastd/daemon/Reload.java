package dev.anycastd.daemon;

import dev.anycastd.core.runtime.AnycastRuntime;
import dev.anycastd.core.runtime.Reconfiguration;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Providers;
import dev.anycastd.daemon.hooks.ChangeHooks;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code anycastd reload} and SIGHUP: reads the configuration file again and hands the services
 * to the runtime, which applies only the difference. Any error leaves the running configuration
 * as it was. One reload at a time.
 */
final class Reload {

    private static final Logger log = LoggerFactory.getLogger(Reload.class);

    private final AnycastRuntime runtime;
    private final ConfigurationSource source;
    private final Path config;
    private final Providers providers;
    private final Monitoring monitoring;
    private final ChangeHooks hooks;

    /**
     * @param monitoring told when a reload starts and ends (systemd's RELOADING=1, then READY=1)
     * @param hooks given the new services' hooks before they run
     */
    Reload(AnycastRuntime runtime, ConfigurationSource source, Path config, Providers providers, Monitoring monitoring,
            ChangeHooks hooks) {
        this.runtime = runtime;
        this.source = source;
        this.config = config;
        this.providers = providers;
        this.monitoring = monitoring;
        this.hooks = hooks;
    }

    /**
     * Reloads, logging what changed, or, on an error, that the configuration before stays.
     *
     * @throws ConfigurationException when the file is missing, unreadable or not a valid configuration
     * @throws VerificationException when the routing daemon cannot carry a prefix of the new configuration
     */
    synchronized Reconfiguration run() throws ConfigurationException, VerificationException {
        log.atInfo().addKeyValue("config_path", config).log("Reading configuration from {} again.", config);
        monitoring.reloading();
        try {
            List<ServiceDefinition> services = source.load(config, providers);
            Daemon.verify(services);
            hooks.use(services);
            Reconfiguration done = runtime.reconfigure(services);
            log.atInfo().addKeyValue("added", done.added()).addKeyValue("removed", done.removed())
                    .addKeyValue("changed", done.changed()).addKeyValue("unchanged", done.unchanged())
                    .log("Reloaded the configuration: {} added, {} removed, {} changed, {} unchanged.", done.added().size(),
                            done.removed().size(), done.changed().size(), done.unchanged().size());
            return done;
        } catch (ConfigurationException | VerificationException e) {
            log.atError().addKeyValue("config_path", config).addKeyValue("error", e.getMessage())
                    .log("Reloading the configuration failed; still running the one read before. {}",
                            ErrorReport.paragraph(e).replaceFirst("^anycastd: ", ""));
            throw e;
        } finally {
            monitoring.reloaded();
        }
    }

    /** On SIGHUP: reloads; an error is logged by {@link #run()} and goes no further. */
    void onSignal() {
        log.atInfo().addKeyValue("signal", "SIGHUP").log("Received SIGHUP, reloading the configuration.");
        try {
            run();
        } catch (ConfigurationException | VerificationException e) {
            log.atDebug().log("The reload on SIGHUP failed; logged above.");
        }
    }
}

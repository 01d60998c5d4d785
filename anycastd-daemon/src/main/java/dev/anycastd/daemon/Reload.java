package dev.anycastd.daemon;

import dev.anycastd.config.toml.Configuration;
import dev.anycastd.config.toml.DaemonSettings;
import dev.anycastd.core.runtime.AnycastRuntime;
import dev.anycastd.core.runtime.Reconfiguration;
import dev.anycastd.core.runtime.UnusablePrefixesException;
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
 * as it was. One reload at a time. The daemon-wide settings ({@code metrics-listen},
 * {@code control-socket}, {@code shutdown-timeout}) are not applied by a reload: a change to
 * them is warned about and answered as needing a restart.
 */
final class Reload {

    private static final Logger log = LoggerFactory.getLogger(Reload.class);

    /**
     * What a reload did.
     *
     * @param services how the services changed
     * @param restartNeeded the daemon-wide settings the file changed, which take effect at the next start
     */
    record Reloaded(Reconfiguration services, List<String> restartNeeded) {
        Reloaded {
            restartNeeded = List.copyOf(restartNeeded);
        }
    }

    private final AnycastRuntime runtime;
    private final ConfigurationSource source;
    private final Path config;
    private final Providers providers;
    private final Monitoring monitoring;
    /** The daemon-wide settings the daemon started with; each reload of a file that changes them warns. */
    private final DaemonSettings started;
    private final ChangeHooks hooks;

    /**
     * @param monitoring told when a reload starts and ends (systemd's RELOADING=1, then READY=1)
     * @param started the daemon-wide settings read at start; a reload applies services only
     * @param hooks given the new services' hooks before they run
     */
    Reload(AnycastRuntime runtime, ConfigurationSource source, Path config, Providers providers, Monitoring monitoring,
            DaemonSettings started, ChangeHooks hooks) {
        this.runtime = runtime;
        this.source = source;
        this.config = config;
        this.providers = providers;
        this.monitoring = monitoring;
        this.started = started;
        this.hooks = hooks;
    }

    /**
     * Reloads, logging what changed, or, on an error, that the configuration before stays.
     *
     * @throws ConfigurationException when the file is missing, unreadable or not a valid configuration
     * @throws VerificationException when the routing daemon cannot carry a prefix of the new configuration
     */
    synchronized Reloaded run() throws ConfigurationException, VerificationException {
        log.atInfo().addKeyValue("config_path", config).log("Reading configuration from {} again.", config);
        monitoring.reloading();
        try {
            Configuration read = source.read(config, providers);
            List<ServiceDefinition> services = read.services();
            hooks.use(services);
            Reconfiguration done;
            try {
                done = runtime.reconfigure(services);
            } catch (UnusablePrefixesException e) {
                throw new VerificationException(e.failures());
            }
            List<String> restartNeeded = warnOfSettingsChanged(read.settings());
            log.atInfo().addKeyValue("added", done.added()).addKeyValue("removed", done.removed())
                    .addKeyValue("changed", done.changed()).addKeyValue("unchanged", done.unchanged())
                    .log("Reloaded the configuration: {} added, {} removed, {} changed, {} unchanged.", done.added().size(),
                            done.removed().size(), done.changed().size(), done.unchanged().size());
            return new Reloaded(done, restartNeeded);
        } catch (ConfigurationException | VerificationException e) {
            log.atError().addKeyValue("config_path", config).addKeyValue("error", e.getMessage())
                    .log("Reloading the configuration failed; still running the one read before. {}",
                            ErrorReport.paragraph(e).replaceFirst("^anycastd: ", ""));
            throw e;
        } finally {
            monitoring.reloaded();
        }
    }

    /**
     * The listener, the socket and the shutdown bound are set up once, at start; changing them under
     * a running daemon would drop scrapes and connections. So a reload applies the services and
     * says, once per reload, which settings differ from those the daemon runs with.
     */
    private List<String> warnOfSettingsChanged(DaemonSettings read) {
        List<String> changed = read.keysChangedFrom(started);
        List<String> was = started.describe();
        List<String> now = read.describe();
        if (!changed.isEmpty()) {
            log.atWarn().addKeyValue("config_path", config).addKeyValue("settings_changed", changed)
                    .log("The configuration changes {}, which take effect when anycastd restarts; until then it keeps running"
                            + " with the settings it started with ({}); the file now says ({}).", String.join(", ", changed),
                            was.isEmpty() ? "none set" : String.join("; ", was),
                            now.isEmpty() ? "none set" : String.join("; ", now));
        }
        return changed;
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

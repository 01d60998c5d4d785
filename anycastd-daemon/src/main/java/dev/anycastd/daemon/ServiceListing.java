package dev.anycastd.daemon;

import dev.anycastd.config.toml.Configuration;
import dev.anycastd.config.toml.DaemonSettings;
import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.service.Policy;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.service.WhenDown;
import dev.anycastd.core.spi.Options;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The text {@code check-config} prints: the daemon-wide settings the file gives, then each service
 * with its prefixes, checks (intervals and settings) and policy.
 */
final class ServiceListing {

    private ServiceListing() {
    }

    static String of(Path file, List<ServiceDefinition> services) {
        return of(file, new Configuration(services, DaemonSettings.NONE));
    }

    static String of(Path file, Configuration configuration) {
        List<ServiceDefinition> services = configuration.services();
        StringBuilder text = new StringBuilder();
        text.append(file).append(" is valid: ").append(services.size())
                .append(services.size() == 1 ? " service." : " services.").append('\n');
        List<String> settings = configuration.settings().describe();
        if (!settings.isEmpty()) {
            text.append('\n').append("settings (a command-line option or environment variable overrides each)").append('\n');
            settings.forEach(setting -> text.append("  ").append(setting).append('\n'));
        }
        for (ServiceDefinition service : services) {
            text.append('\n').append("service ").append(service.name()).append('\n');
            text.append("  prefixes: ")
                    .append(service.prefixes().stream().map(Prefix::describe).collect(Collectors.joining(", "))).append('\n');
            text.append("  checks:   ")
                    .append(service.checks().stream().map(ServiceListing::describe).collect(Collectors.joining(", ")))
                    .append('\n');
            Policy policy = service.policy();
            int counted = service.checks().size() - policy.guards().size();
            text.append("  policy:   rise ").append(policy.rise())
                    .append(", fall ").append(policy.fall())
                    .append(", require ").append(policy.require().rule()).append(" (")
                    .append(policy.require().needed(counted)).append(" of ").append(counted)
                    .append(counted == 1 ? " check" : " checks").append(" must pass)").append('\n');
            if (!policy.guards().isEmpty()) {
                text.append("  guards:   ").append(service.checks().stream().filter(check -> policy.guards().contains(check.name()))
                        .map(check -> String.join(", ", check.settings())).collect(Collectors.joining(", ")))
                        .append(" (must pass whatever require says)").append('\n');
            }
            service.onChange().ifPresent(hook -> text.append("  on-change: ").append(String.join(" ", hook.command()))
                    .append(" (timeout ").append(Options.format(hook.timeout())).append(')').append('\n'));
            text.append("  when down: ").append(whenDown(service)).append('\n');
            text.append("  drain:    ").append(service.gracefulDrain()
                    .map(drain -> "hold " + Options.format(drain.hold()) + " through route-map " + drain.routePolicy() + ", then withdraw")
                    .orElse("withdraw at once")).append('\n');
        }
        return text.toString();
    }

    /** {@code withdraw}, or each prefix's form, e.g. {@code 203.0.113.53/32 through route-map LAST, 203.0.113.54/32 withdraw}. */
    private static String whenDown(ServiceDefinition service) {
        if (service.whenDown().stream().allMatch(WhenDown.Withdraw.class::isInstance)) {
            return "withdraw";
        }
        List<String> forms = new java.util.ArrayList<>();
        for (int i = 0; i < service.prefixes().size(); i++) {
            forms.add(service.prefixes().get(i).prefix() + (service.whenDown().get(i) instanceof WhenDown.Through through
                    ? " through route-map " + through.routePolicy() : " withdraw"));
        }
        return String.join(", ", forms);
    }

    /**
     * {@code cabourotte dns at http://127.0.0.1:9013 every 5s (timeout 4s, max-age 30s)}: the check's own
     * description and settings, or else its timeout when not the interval.
     */
    private static String describe(HealthCheck check) {
        String text = check.describe() + " every " + Options.format(check.interval());
        List<String> settings = check.settings();
        if (settings.isEmpty() && !check.timeout().equals(check.interval())) {
            settings = List.of("timeout " + Options.format(check.timeout()));
        }
        return settings.isEmpty() ? text : text + " (" + String.join(", ", settings) + ")";
    }
}

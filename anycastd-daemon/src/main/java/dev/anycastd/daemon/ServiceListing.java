package dev.anycastd.daemon;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.service.ServiceDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** The text {@code check-config} prints: each service with its prefixes, checks, intervals and policy. */
final class ServiceListing {

    private ServiceListing() {
    }

    static String of(Path file, List<ServiceDefinition> services) {
        StringBuilder text = new StringBuilder();
        text.append(file).append(" is valid: ").append(services.size())
                .append(services.size() == 1 ? " service." : " services.").append('\n');
        for (ServiceDefinition service : services) {
            text.append('\n').append("service ").append(service.name()).append('\n');
            text.append("  prefixes: ")
                    .append(service.prefixes().stream().map(Prefix::describe).collect(Collectors.joining(", "))).append('\n');
            text.append("  checks:   ")
                    .append(service.checks().stream().map(ServiceListing::describe).collect(Collectors.joining(", ")))
                    .append('\n');
            text.append("  policy:   rise ").append(service.policy().rise())
                    .append(", fall ").append(service.policy().fall()).append('\n');
        }
        return text.toString();
    }

    private static String describe(HealthCheck check) {
        String text = check.name() + " every " + duration(check.interval());
        return check.timeout().equals(check.interval()) ? text : text + " (timeout " + duration(check.timeout()) + ")";
    }

    /** {@code 5s}, {@code 1.5s} or {@code 250ms}: how an operator writes intervals. */
    static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        return java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
    }
}

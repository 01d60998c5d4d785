package dev.anycastd.core.service;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.prefix.Prefix;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One anycasted service: its prefixes are announced only while all its checks are healthy.
 *
 * @param name the service's name, used in logs; printable, no control characters
 * @param prefixes the prefixes to announce; at least one
 * @param checks the checks that must all pass; at least one, names unique within the service
 * @param policy rise and fall
 */
public record ServiceDefinition(String name, List<Prefix> prefixes, List<HealthCheck> checks, Policy policy) {

    /** Validates and copies the lists. */
    public ServiceDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(policy, "policy");
        if (name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("service name \"" + name + "\" must be printable and not blank");
        }
        prefixes = List.copyOf(prefixes);
        checks = List.copyOf(checks);
        if (prefixes.isEmpty()) {
            throw new IllegalArgumentException("service \"" + name + "\" needs at least one prefix");
        }
        if (checks.isEmpty()) {
            throw new IllegalArgumentException("service \"" + name + "\" needs at least one check");
        }
        Set<String> names = new HashSet<>();
        for (HealthCheck check : checks) {
            if (!names.add(check.name())) {
                throw new IllegalArgumentException("service \"" + name + "\" has two checks named \"" + check.name() + "\"");
            }
        }
    }

    /** A service with the default policy (rise 1, fall 1). */
    public ServiceDefinition(String name, List<Prefix> prefixes, List<HealthCheck> checks) {
        this(name, prefixes, checks, Policy.DEFAULT);
    }
}

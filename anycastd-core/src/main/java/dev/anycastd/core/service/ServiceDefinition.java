package dev.anycastd.core.service;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.prefix.Prefix;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One anycasted service: its prefixes are announced only while its checks pass as its policy
 * requires (all of them, by default).
 *
 * @param name the service's name, used in logs; printable, no control characters
 * @param prefixes the prefixes to announce; at least one
 * @param checks the checks; at least one, names unique within the service
 * @param policy rise, fall, how many checks must pass and which must always pass
 * @param fingerprint what the configuration said of this service, in a canonical form, so that a
 *     reload can tell an unchanged service from a changed one; empty when unknown, and then a
 *     service counts as unchanged only when its definition is equal (the same prefixes and checks)
 * @param onChange the program to run when the service changes state, if any
 */
public record ServiceDefinition(String name, List<Prefix> prefixes, List<HealthCheck> checks, Policy policy,
        String fingerprint, Optional<ChangeHook> onChange) {

    /** Validates and copies the lists. */
    public ServiceDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(onChange, "onChange");
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
        for (String guard : policy.guards()) {
            if (!names.contains(guard)) {
                throw new IllegalArgumentException("service \"" + name + "\" guards with a check \"" + guard
                        + "\" it does not have");
            }
        }
        int counted = checks.size() - policy.guards().size();
        if (counted < 1 && !(policy.require() instanceof Requirement.All)) {
            throw new IllegalArgumentException("service \"" + name + "\" requires " + policy.require().describe(counted)
                    + " of its checks but has none besides its guards");
        }
        if (policy.require() instanceof Requirement.AtLeast atLeast && atLeast.count() > counted) {
            throw new IllegalArgumentException("service \"" + name + "\" requires " + atLeast.count() + " passing checks but has "
                    + counted);
        }
    }

    /** A service without a hook. */
    public ServiceDefinition(String name, List<Prefix> prefixes, List<HealthCheck> checks, Policy policy, String fingerprint) {
        this(name, prefixes, checks, policy, fingerprint, Optional.empty());
    }

    /** A service without a fingerprint. */
    public ServiceDefinition(String name, List<Prefix> prefixes, List<HealthCheck> checks, Policy policy) {
        this(name, prefixes, checks, policy, "");
    }

    /** A service with the default policy (rise 1, fall 1). */
    public ServiceDefinition(String name, List<Prefix> prefixes, List<HealthCheck> checks) {
        this(name, prefixes, checks, Policy.DEFAULT);
    }

    /** Equal name, prefixes, checks, policy and hook; the fingerprint says where a definition came from, not what it is. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ServiceDefinition that && name.equals(that.name) && prefixes.equals(that.prefixes)
                && checks.equals(that.checks) && policy.equals(that.policy) && onChange.equals(that.onChange);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, prefixes, checks, policy, onChange);
    }

    /**
     * Whether {@code other} defines this service the same way, so that a reload may keep it
     * running untouched: the same name and, when both have one, the same fingerprint; else equal.
     */
    public boolean sameAs(ServiceDefinition other) {
        if (!name.equals(other.name())) {
            return false;
        }
        return fingerprint.isEmpty() || other.fingerprint().isEmpty() ? equals(other) : fingerprint.equals(other.fingerprint());
    }
}

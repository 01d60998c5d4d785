package dev.anycastd.core.runtime;

import dev.anycastd.core.internal.service.Form;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.service.WhenDown;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The forms each prefix of one service can be announced in, built once per service: the prefix
 * itself, through its when-down policy, and through the drain policy. Says, for a form the
 * service is in, what each prefix should be: announced as a given {@link Prefix} object, or
 * withdrawn. Immutable.
 */
final class ServiceForms {

    private final Map<Prefix, Prefix> whenDown = new IdentityHashMap<>();
    private final Map<Prefix, Prefix> drain = new IdentityHashMap<>();

    ServiceForms(ServiceDefinition definition) {
        for (int i = 0; i < definition.prefixes().size(); i++) {
            Prefix prefix = definition.prefixes().get(i);
            if (definition.whenDown().get(i) instanceof WhenDown.Through through) {
                prefix.through(through.routePolicy()).ifPresent(form -> whenDown.put(prefix, form));
            }
            definition.gracefulDrain().flatMap(graceful -> prefix.through(graceful.routePolicy()))
                    .ifPresent(form -> drain.put(prefix, form));
        }
    }

    /**
     * What {@code prefix} (one of the service's own) should be announced as when the service is
     * in {@code form}, having held from {@code heldFrom} when draining; empty when it should be withdrawn.
     */
    Optional<Prefix> target(Prefix prefix, Form form, Form heldFrom) {
        return switch (form) {
            case WITHDRAWN -> Optional.empty();
            case NORMAL -> Optional.of(prefix);
            case WHEN_DOWN -> Optional.ofNullable(whenDown.get(prefix));
            case DRAINING -> heldFrom != Form.DRAINING && target(prefix, heldFrom, Form.WITHDRAWN).isPresent()
                    ? Optional.ofNullable(drain.get(prefix)) : Optional.empty();
        };
    }
}

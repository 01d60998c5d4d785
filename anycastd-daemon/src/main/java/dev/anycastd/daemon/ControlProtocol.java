package dev.anycastd.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anycastd.core.check.Health;
import dev.anycastd.core.runtime.AnycastRuntime;
import dev.anycastd.core.runtime.Drain;
import dev.anycastd.core.runtime.Reconfiguration;
import dev.anycastd.core.runtime.ReconcileOutcome;
import dev.anycastd.core.runtime.ServiceStatus;
import dev.anycastd.core.spi.ConfigurationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's side of the control protocol (docs/CONTROL.md): one JSON request line in, one
 * JSON answer line out. It only translates: what a drain, a resume or a check-now means is the
 * runtime's. Thread-safe: it holds no state of its own.
 */
final class ControlProtocol {

    private static final Logger log = LoggerFactory.getLogger(ControlProtocol.class);

    /** The protocol's version; a request with another is refused, naming this one. */
    static final int VERSION = 1;
    static final ObjectMapper JSON = new ObjectMapper();
    /** Bound on waiting for check-now's results; each check reports by its own timeout well before. */
    static final Duration CHECK_NOW_LIMIT = Duration.ofSeconds(60);

    private final AnycastRuntime runtime;
    private final Clock clock;
    private final Reload reload;

    ControlProtocol(AnycastRuntime runtime, Clock clock, Reload reload) {
        this.runtime = runtime;
        this.clock = clock;
        this.reload = reload;
    }

    /** The answer to one request line. */
    String answer(String line) {
        JsonNode request;
        try {
            request = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return error("bad-request", "the request is not JSON: " + e.getOriginalMessage());
        }
        if (request == null || !request.isObject()) {
            return error("bad-request", "the request is not a JSON object");
        }
        if (request.path("version").asInt(-1) != VERSION) {
            return error("unsupported-version", "this anycastd speaks version " + VERSION + " of the control protocol, not "
                    + request.path("version"));
        }
        String command = request.path("command").asText("");
        try {
            List<String> services = services(request);
            return switch (command) {
                case "status" -> status(services);
                case "drain" -> drain(services, request);
                case "resume" -> resume(services);
                case "check-now" -> checkNow(services);
                case "reload" -> reload();
                default -> error("unknown-command", "unknown command \"" + command + "\"; known: status, drain, resume, check-now,"
                        + " reload");
            };
        } catch (IllegalArgumentException e) {
            return error("unknown-service", e.getMessage());
        } catch (RequestException e) {
            return error("bad-request", e.getMessage());
        } catch (RuntimeException e) {
            log.atError().setCause(e).log("Answering a control request failed unexpectedly: {}", e.toString());
            return error("internal", "internal error: " + e);
        }
    }

    /** The answer when too many clients are connected. */
    static String busy() {
        return error("busy", "too many control connections at once; try again");
    }

    /** The services a request names: every one with {@code "all": true} or none named, for status and check-now. */
    private List<String> services(JsonNode request) throws RequestException {
        JsonNode named = request.path("services");
        if (request.path("all").asBoolean(false) || named.isMissingNode() || named.isNull()) {
            return request.path("all").asBoolean(false) ? allNames() : List.of();
        }
        if (!named.isArray()) {
            throw new RequestException("\"services\" must be an array of service names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode name : named) {
            if (!name.isTextual()) {
                throw new RequestException("\"services\" must be an array of service names");
            }
            names.add(name.asText());
        }
        names.forEach(runtime::status); // every name before anything changes: an unknown one changes nothing
        return names;
    }

    private List<String> allNames() {
        return runtime.status().stream().map(ServiceStatus::name).toList();
    }

    private String status(List<String> names) {
        List<ServiceStatus> statuses = names.isEmpty() ? runtime.status() : names.stream().map(runtime::status).toList();
        Instant now = clock.instant();
        ObjectNode answer = ok();
        answer.put("now", now.toString());
        Optional<ReconcileOutcome> reconcile = runtime.lastReconcile();
        if (reconcile.isPresent()) {
            ObjectNode node = answer.putObject("reconcile");
            node.put("at", reconcile.get().at().toString());
            node.put("read", reconcile.get().read());
            node.put("unreadable", reconcile.get().unreadable());
            ArrayNode repaired = node.putArray("repaired");
            reconcile.get().repaired().forEach(repaired::add);
        } else {
            answer.putNull("reconcile");
        }
        ArrayNode services = answer.putArray("services");
        for (ServiceStatus status : statuses) {
            ObjectNode service = services.addObject();
            service.put("name", status.name());
            service.put("state", status.state().name().toLowerCase(java.util.Locale.ROOT));
            service.put("since", status.since().toString());
            service.put("reason", status.why());
            service.put("healthy", status.healthy());
            service.put("converged", status.converged());
            service.put("as_wanted", status.asWanted());
            if (status.drain().isPresent()) {
                putDrain(service.putObject("drain"), status.drain().get());
            } else {
                service.putNull("drain");
            }
            ArrayNode prefixes = service.putArray("prefixes");
            for (ServiceStatus.PrefixStatus prefix : status.prefixes()) {
                ObjectNode node = prefixes.addObject();
                node.put("prefix", prefix.prefix());
                node.put("description", prefix.description());
                node.put("router", prefix.announced().map(announced -> announced ? "announced" : "withdrawn").orElse("unknown"));
                if (prefix.seenAt().isPresent()) {
                    node.put("seen_at", prefix.seenAt().get().toString());
                } else {
                    node.putNull("seen_at");
                }
            }
            ArrayNode checks = service.putArray("checks");
            status.results().forEach((name, result) -> {
                ObjectNode node = checks.addObject();
                node.put("name", name);
                putHealth(node, result.health());
                node.put("at", result.at().toString());
                node.put("age_ms", Math.max(0, Duration.between(result.at(), now).toMillis()));
            });
        }
        return answer.toString();
    }

    private String drain(List<String> names, JsonNode request) throws RequestException {
        if (names.isEmpty()) {
            throw new RequestException("drain needs \"services\" or \"all\": true");
        }
        Optional<Duration> duration = Optional.empty();
        JsonNode forMs = request.path("for_ms");
        if (!forMs.isMissingNode() && !forMs.isNull()) {
            if (!forMs.canConvertToLong() || forMs.asLong() <= 0) {
                throw new RequestException("\"for_ms\" must be a positive number of milliseconds");
            }
            duration = Optional.of(Duration.ofMillis(forMs.asLong()));
        }
        String reason = request.path("reason").asText("");
        ObjectNode answer = ok();
        ArrayNode drained = answer.putArray("drained");
        for (String name : names) {
            Drain drain = runtime.drain(name, duration, reason);
            ObjectNode node = drained.addObject();
            node.put("service", name);
            putDrain(node, drain);
        }
        return answer.toString();
    }

    private String resume(List<String> names) throws RequestException {
        if (names.isEmpty()) {
            throw new RequestException("resume needs \"services\" or \"all\": true");
        }
        ObjectNode answer = ok();
        ArrayNode resumed = answer.putArray("resumed");
        for (String name : names) {
            runtime.resume(name);
            resumed.add(name);
        }
        return answer.toString();
    }

    private String checkNow(List<String> names) {
        Map<String, Map<String, Health>> results;
        try {
            results = runtime.checkNow(names).get(CHECK_NOW_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("internal", "interrupted while the checks ran");
        } catch (ExecutionException | TimeoutException e) {
            return error("internal", "the checks did not all report: " + e);
        }
        ObjectNode answer = ok();
        ArrayNode services = answer.putArray("results");
        results.forEach((service, checks) -> {
            ObjectNode node = services.addObject();
            node.put("service", service);
            ArrayNode array = node.putArray("checks");
            checks.forEach((check, health) -> {
                ObjectNode result = array.addObject();
                result.put("name", check);
                putHealth(result, health);
            });
        });
        return answer.toString();
    }

    private String reload() {
        Reload.Reloaded reloaded;
        try {
            reloaded = reload.run();
        } catch (ConfigurationException e) {
            String code = switch (e.kind()) {
                case MISSING_FILE -> "missing-configuration";
                case UNREADABLE_FILE -> "unreadable-configuration";
                case SYNTAX, INVALID -> "invalid-configuration";
                case PLUGINS -> "unusable-configuration";
            };
            return error(code, e.getMessage());
        } catch (VerificationException e) {
            return error("unusable-configuration", e.getMessage());
        } catch (IllegalArgumentException e) {
            // The runtime's own rules (a prefix in two services), should a reader not check them first.
            return error("invalid-configuration", e.getMessage());
        }
        ObjectNode answer = ok();
        Reconfiguration done = reloaded.services();
        done.added().forEach(answer.putArray("added")::add);
        done.removed().forEach(answer.putArray("removed")::add);
        done.changed().forEach(answer.putArray("changed")::add);
        done.unchanged().forEach(answer.putArray("unchanged")::add);
        if (!reloaded.restartNeeded().isEmpty()) {
            reloaded.restartNeeded().forEach(answer.putArray("restart_needed")::add);
        }
        return answer.toString();
    }

    private static void putDrain(ObjectNode node, Drain drain) {
        node.put("reason", drain.reason());
        node.put("since", drain.since().toString());
        if (drain.until().isPresent()) {
            node.put("until", drain.until().get().toString());
        } else {
            node.putNull("until");
        }
    }

    private static void putHealth(ObjectNode node, Health health) {
        node.put("result", health instanceof Health.Healthy ? "healthy" : health instanceof Health.Unhealthy ? "unhealthy" : "unknown");
        node.put("detail", health.describe());
    }

    private static ObjectNode ok() {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("version", VERSION);
        answer.put("ok", true);
        return answer;
    }

    static String error(String code, String message) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("version", VERSION);
        answer.put("ok", false);
        ObjectNode error = answer.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return answer.toString();
    }

    /** A request that does not follow the protocol. */
    private static final class RequestException extends Exception {
        private static final long serialVersionUID = 1L;

        RequestException(String message) {
            super(message);
        }
    }
}

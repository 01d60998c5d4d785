package dev.anycastd.frr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.anycastd.core.prefix.IpPrefix;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reader of what vtysh prints: the running configuration, {@code show bgp ... detail json}
 * and {@code show bgp ... P json}. Stateless; every method reads one vtysh result and throws a
 * {@link VtyshException} carrying that result when it is not what FRR 8.4 prints.
 */
final class FrrOutput {

    private static final ObjectReader JSON = new ObjectMapper().readerFor(JsonNode.class);
    /** {@code router bgp ASN [vrf V]} as FRR prints it; group 1 is the VRF. */
    private static final Pattern ROUTER_BGP = Pattern.compile("router bgp [0-9.]+(?: vrf (\\S+))?");
    /**
     * {@code network P [route-map RM]} inside an address family; group 1 is the prefix, in FRR's
     * canonical form, group 2 the route-map if any.
     */
    private static final Pattern NETWORK = Pattern.compile("network ([0-9A-Fa-f:.]+/[0-9]{1,3})(?: route-map (\\S+))?(?: .*)?");
    /** {@code route-map NAME permit|deny SEQ} in column 0: a route-map FRR has defined. */
    private static final Pattern ROUTE_MAP = Pattern.compile("route-map (\\S+) (?:permit|deny) [0-9]+");

    private FrrOutput() {
    }

    /** What {@code show bgp [vrf V] detail json} says of a BGP instance. */
    sealed interface Instance {
        /** FRR has the instance; its local AS number. */
        record Present(long localAs) implements Instance {
        }

        /** FRR has no such instance (an unknown VRF, no {@code router bgp}); FRR's own words. */
        record Missing(String warning) implements Instance {
        }
    }

    /**
     * Reads {@code show bgp [vrf V] detail json}.
     *
     * @throws VtyshException when the output is not JSON or names no local AS number
     */
    static Instance instance(FrrTransport.Result result) throws VtyshException {
        JsonNode document = documents(result).get(0);
        if (document.has("warning")) {
            return new Instance.Missing(document.get("warning").asText());
        }
        JsonNode localAs = document.path("localAS");
        if (!localAs.canConvertToLong()) {
            throw result.failure("FRR did not report a local AS number");
        }
        return new Instance.Present(localAs.asLong());
    }

    /**
     * What {@code show running-config bgpd} says of one BGP instance.
     *
     * @param networks the networks configured under {@code router bgp} of the instance, each with
     *     the route-map of its {@code network} line, or {@code ""} when it has none
     * @param routeMaps the route-maps FRR has defined (any instance: route-maps are global)
     */
    record RunningConfig(Map<IpPrefix, String> networks, Set<String> routeMaps) {
        RunningConfig {
            networks = Map.copyOf(networks);
            routeMaps = Set.copyOf(routeMaps);
        }
    }

    /**
     * The networks configured under {@code router bgp} of {@code vrf} (or of the default VRF, for
     * {@code null}) in the output of {@code show running-config bgpd}.
     */
    static Set<IpPrefix> configuredNetworks(String runningConfig, String vrf) {
        return runningConfig(runningConfig, vrf).networks().keySet();
    }

    /**
     * The networks configured under {@code router bgp} of {@code vrf} (or of the default VRF, for
     * {@code null}) with their route-maps, and the route-maps defined, in the output of
     * {@code show running-config bgpd}.
     */
    static RunningConfig runningConfig(String runningConfig, String vrf) {
        Map<IpPrefix, String> networks = new HashMap<>();
        Set<String> routeMaps = new HashSet<>();
        boolean inInstance = false;
        for (String line : runningConfig.split("\n")) {
            if (line.startsWith("router bgp ")) {
                Matcher router = ROUTER_BGP.matcher(line.strip());
                inInstance = router.matches() && Objects.equals(router.group(1), vrf);
            } else if (!line.startsWith(" ")) {
                // "exit" or "!" in column 0 ends a router block.
                inInstance = false;
                Matcher routeMap = ROUTE_MAP.matcher(line.strip());
                if (routeMap.matches()) {
                    routeMaps.add(routeMap.group(1));
                }
            } else if (inInstance) {
                Matcher network = NETWORK.matcher(line.strip());
                if (network.matches()) {
                    networks.put(IpPrefix.parse(network.group(1)), network.group(2) == null ? "" : network.group(2));
                }
            }
        }
        return new RunningConfig(networks, routeMaps);
    }

    /**
     * Reads the answers to one {@code show bgp [vrf V] ipv4|ipv6 unicast P json} per prefix, in
     * order: the prefixes FRR has a local path for (a configured {@code network}), each with
     * whether that path is valid. Prefixes FRR does not have are absent.
     *
     * @throws VtyshException when the output is not one JSON document per prefix, or names no instance
     */
    static Map<IpPrefix, Boolean> localPaths(FrrTransport.Result result, List<IpPrefix> prefixes) throws VtyshException {
        List<JsonNode> documents = documents(result);
        if (documents.size() != prefixes.size()) {
            throw result.failure("FRR printed " + documents.size() + " JSON documents for " + prefixes.size() + " prefixes");
        }
        Map<IpPrefix, Boolean> paths = new HashMap<>();
        for (int i = 0; i < prefixes.size(); i++) {
            JsonNode route = documents.get(i);
            if (route.has("warning")) {
                throw result.failure("FRR has no BGP instance: " + route.get("warning").asText());
            }
            for (JsonNode path : route.path("paths")) {
                if (path.path("local").asBoolean(false)) {
                    paths.merge(prefixes.get(i), path.path("valid").asBoolean(false), Boolean::logicalOr);
                }
            }
        }
        return paths;
    }

    /** The JSON documents vtysh printed one after the other; at least one. */
    private static List<JsonNode> documents(FrrTransport.Result result) throws VtyshException {
        try {
            List<JsonNode> documents = JSON.readValues(result.stdout()).readAll().stream().map(JsonNode.class::cast).toList();
            if (documents.isEmpty()) {
                throw result.failure("FRR printed no JSON");
            }
            return documents;
        } catch (JsonProcessingException e) {
            throw new VtyshException("FRR's output is not the JSON expected (" + e.getOriginalMessage() + ")", result.commands(),
                    OptionalInt.of(result.exitCode()), result.stdout(), result.stderr(), e);
        } catch (IOException e) {
            throw new VtyshException("FRR's output could not be read: " + e.getMessage(), result.commands(),
                    OptionalInt.of(result.exitCode()), result.stdout(), result.stderr(), e);
        }
    }
}

package dev.anycastd.config.toml;

import dev.anycastd.core.check.HealthCheck;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.service.ChangeHook;
import dev.anycastd.core.service.GracefulDrain;
import dev.anycastd.core.service.Policy;
import dev.anycastd.core.service.Requirement;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.service.WhenDown;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.ConfigurationException.Kind;
import dev.anycastd.core.spi.ConfigurationException.Problem;
import dev.anycastd.core.spi.HealthCheckProvider;
import dev.anycastd.core.spi.Location;
import dev.anycastd.core.spi.Options;
import dev.anycastd.core.spi.PrefixProvider;
import dev.anycastd.core.spi.Providers;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Checks one configuration file against the schema and builds its services, collecting every
 * problem instead of stopping at the first. Used once, by one thread.
 */
final class ConfigurationReader {

    private static final List<String> ROOT_KEYS = List.of("services", DaemonSettings.METRICS_LISTEN, DaemonSettings.CONTROL_SOCKET,
            DaemonSettings.SHUTDOWN_TIMEOUT, "drain-hold", "drain-route-map");
    private static final List<String> SERVICE_KEYS = List.of("prefixes", "checks", "rise", "fall", "require", "on-change",
            "on-change-timeout", "require-local", "interface", "when-down", "drain-hold", "drain-route-map");
    /** Keys of a prefix's table that anycastd reads itself for the address guard; its provider never sees them. */
    private static final List<String> PREFIX_GUARD_KEYS = List.of("require-local", "interface");
    /** The check type {@code require-local} adds a check of, for each guarded prefix. */
    private static final String ADDRESS_CHECK_TYPE = "address";
    private static final Pattern PERCENTAGE = Pattern.compile("(\\d{1,3})%");
    private static final String REQUIRE_HINT = "use \"all\" (the default), \"any\", a count of checks such as 2, or a percentage"
            + " such as \"50%\"";
    /** A key of a prefix's table that the reader owns too; the prefix's provider never sees it. */
    private static final String WHEN_DOWN = "when-down";
    private final SourceText source;
    private final Providers providers;
    private final List<Finding> findings = new ArrayList<>();
    private final List<RuntimeException> providerFailures = new ArrayList<>();
    /** Every prefix built so far, by its announcement (network and where it is announced), with its service. */
    private final Map<String, OwnedPrefix> prefixOwners = new HashMap<>();
    /** The when-down setting of each prefix that has its own, by the prefix's key path. */
    private final Map<String, Setting<WhenDown>> prefixWhenDown = new HashMap<>();
    /** The file's top-level drain-hold and drain-route-map, the default of every service. */
    private DrainKeys rootDrain = DrainKeys.NONE;

    /** A setting read from the file, with the key path and line it was written at. */
    private record Setting<T>(T value, String path, Location location) {
    }

    /**
     * {@code drain-hold} and {@code drain-route-map} as written at one level; either may be absent
     * (null). A key written wrong (and reported) is marked broken, so that its absence is not
     * reported as well.
     */
    private record DrainKeys(Setting<Duration> hold, Setting<String> routeMap, boolean holdBroken, boolean routeMapBroken) {
        static final DrainKeys NONE = new DrainKeys(null, null, false, false);

        /** These keys, each falling back to {@code outer}'s where not written here. */
        DrainKeys over(DrainKeys outer) {
            boolean ownHold = hold != null || holdBroken;
            boolean ownRouteMap = routeMap != null || routeMapBroken;
            return new DrainKeys(ownHold ? hold : outer.hold, ownRouteMap ? routeMap : outer.routeMap,
                    ownHold ? holdBroken : outer.holdBroken, ownRouteMap ? routeMapBroken : outer.routeMapBroken);
        }
    }

    ConfigurationReader(SourceText source, Providers providers) {
        this.source = source;
        this.providers = providers;
    }

    /** A problem and where it sorts in file order (its own location or, when it has none, its item's). */
    private record Finding(Location sortAt, Problem problem) {
    }

    /** A prefix built for a service. */
    private record OwnedPrefix(String service, Built<Prefix> prefix) {
    }

    /**
     * One item built by a provider, with where it was written and the keys of its table that
     * anycastd reads itself ({@code null} for the short form).
     */
    private record Built<T>(T value, String path, Location location, Options own) {
    }

    /** What the reader needs of a provider of either kind. */
    private record ItemType<T>(String type, List<String> requiredOptions, Factory<T> factory, Object provider) {
    }

    @FunctionalInterface
    private interface Factory<T> {
        T create(Options options) throws ConfigurationException;
    }

    @FunctionalInterface
    private interface Lookup<T> {
        ItemType<T> find(String type, String keyPath, Location location) throws ConfigurationException;
    }

    @FunctionalInterface
    private interface Step {
        void run() throws ConfigurationException;
    }

    Configuration read() throws ConfigurationException {
        TomlParseResult toml = TomlSyntax.parse(source);
        Options root = options("", toml, source.fileLocation());
        collect(source.fileLocation(), () -> root.requireOnly(ROOT_KEYS, "key"));
        DaemonSettings settings = settings(root);
        rootDrain = drainKeys(root, toml, source.fileLocation());
        gracefulDrain(rootDrain);
        List<ServiceDefinition> services = new ArrayList<>();
        Object value = toml.get(List.of("services"));
        if (value == null) {
            if (!hasAttemptAt(toml, "services")) {
                report("", source.fileLocation(), "no services configured; add a table [services.NAME] with its prefixes and checks");
            }
        } else if (!(value instanceof TomlTable table)) {
            report("services", source.at(toml.inputPositionOf(List.of("services"))),
                    "expected a table of services, got " + describe(value) + "; write [services.NAME]");
        } else {
            for (String name : keysInFileOrder(table)) {
                readService(name, table.get(List.of(name)), source.at(table.inputPositionOf(List.of(name))), services);
            }
        }
        if (!findings.isEmpty()) {
            throw failure(Kind.INVALID);
        }
        return new Configuration(services, settings);
    }

    /**
     * Reads the daemon-wide settings alone, for a command that needs one of them but builds no
     * service (the control commands look for the control socket); other keys are not checked.
     */
    DaemonSettings readSettings() throws ConfigurationException {
        TomlParseResult toml = TomlSyntax.parse(source);
        DaemonSettings settings = settings(options("", toml, source.fileLocation()));
        if (!findings.isEmpty()) {
            throw failure(Kind.INVALID);
        }
        return settings;
    }

    /** The top-level settings; a wrong one is reported and read as not given. */
    private DaemonSettings settings(Options root) {
        Optional<InetSocketAddress> metricsListen = Optional.empty();
        Optional<Path> controlSocket = Optional.empty();
        Optional<Duration> shutdownTimeout = Optional.empty();
        try {
            metricsListen = Optional.ofNullable(listenAddress(root, DaemonSettings.METRICS_LISTEN));
        } catch (ConfigurationException e) {
            addAll(source.fileLocation(), e);
        }
        try {
            controlSocket = Optional.ofNullable(absolutePath(root, DaemonSettings.CONTROL_SOCKET));
        } catch (ConfigurationException e) {
            addAll(source.fileLocation(), e);
        }
        try {
            shutdownTimeout = Optional.ofNullable(root.getDuration(DaemonSettings.SHUTDOWN_TIMEOUT, null));
        } catch (ConfigurationException e) {
            addAll(source.fileLocation(), e);
        }
        return new DaemonSettings(metricsListen, controlSocket, shutdownTimeout);
    }

    private static InetSocketAddress listenAddress(Options root, String key) throws ConfigurationException {
        Object value = root.get(key).orElse(null);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw root.error(key, "expected text HOST:PORT, got " + Options.describe(value)
                    + "; write it in quotes, e.g. \"127.0.0.1:9108\"");
        }
        try {
            return DaemonSettings.parseListenAddress(text);
        } catch (IllegalArgumentException e) {
            throw root.error(key, e.getMessage());
        }
    }

    private static Path absolutePath(Options root, String key) throws ConfigurationException {
        Path path = root.getPath(key, null);
        if (path != null && !path.isAbsolute()) {
            throw root.error(key, Options.quote(path.toString()) + " is not an absolute path; give the socket's full path, e.g."
                    + " \"/run/anycastd/control.sock\"");
        }
        return path;
    }

    private void readService(String name, Object value, Location location, List<ServiceDefinition> services) {
        String path = "services." + Options.pathSegment(name);
        int problemsBefore = findings.size();
        if (name.isBlank() || !Options.isPrintable(name)) {
            report(path, location, "service name " + Options.quote(name) + " is not printable; it appears in logs and"
                    + " metrics, so use letters, digits and punctuation");
        }
        if (!(value instanceof TomlTable table)) {
            report(path, location, "expected a table (the service's prefixes and checks), got " + describe(value)
                    + "; write [" + path + "]");
            return;
        }
        Options service = options(path, table, location);
        collect(location, () -> service.requireOnly(SERVICE_KEYS, "key"));
        int rise = positiveCount(service, "rise", location);
        int fall = positiveCount(service, "fall", location);
        Requirement require = requirement(service, location);
        Optional<ChangeHook> hook = hook(service, location);
        Setting<WhenDown> whenDown = whenDown(path, table, location);
        DrainKeys drainKeys = drainKeys(service, table, location);
        // Without keys of its own, the top level's (reported once, by read) apply as they are.
        Optional<GracefulDrain> graceful = drainKeys.hold() == null && drainKeys.routeMap() == null
                ? complete(rootDrain)
                : gracefulDrain(drainKeys.over(rootDrain));
        List<Built<Prefix>> prefixes = readItems(path, name, table, location, "prefixes", "prefix",
                providers.prefixTypes(), this::prefixType, PREFIX_GUARD_KEYS);
        int checkProblemsBefore = findings.size();
        List<Built<HealthCheck>> checks = readItems(path, name, table, location, "checks", "check",
                providers.checkTypes(), this::checkType, List.of());
        if (findings.size() == checkProblemsBefore) {
            requireAtMostTheChecks(service, require, checks.size(), location);
        }
        List<Built<HealthCheck>> guards = addressGuards(service, prefixes, location);
        List<Built<HealthCheck>> allChecks = new ArrayList<>(checks);
        allChecks.addAll(guards);
        requireShortestInterval(allChecks);
        requireUniqueCheckNames(allChecks);
        requireOneOwner(name, prefixes);
        List<WhenDown> whenDowns = new ArrayList<>();
        for (Built<Prefix> prefix : prefixes) {
            Setting<WhenDown> own = prefixWhenDown.getOrDefault(prefix.path(), whenDown);
            whenDowns.add(own.value());
            if (own.value() instanceof WhenDown.Through through) {
                requireForm(prefix, through.routePolicy(), own.path(), own.location(), "when down");
            }
            graceful.ifPresent(drain -> {
                Setting<String> routeMap = drainKeys.over(rootDrain).routeMap();
                requireForm(prefix, drain.routePolicy(), routeMap.path(), routeMap.location(), "while a drain holds");
            });
        }
        if (findings.size() > problemsBefore) {
            return;
        }
        try {
            services.add(new ServiceDefinition(name,
                    prefixes.stream().map(Built::value).toList(),
                    allChecks.stream().map(Built::value).toList(),
                    new Policy(rise, fall, require, guards.stream().map(guard -> guard.value().name()).collect(Collectors.toSet())),
                    // The drain keys may come from the top level, which the service's table does not show.
                    Fingerprint.of(table) + graceful.map(drain -> "|drain:" + drain).orElse(""),
                    whenDowns,
                    graceful,
                    hook));
        } catch (IllegalArgumentException e) {
            // Everything ServiceDefinition checks was checked above with better messages; this only
            // keeps a future rule of its from escaping as something other than a configuration error.
            report(path, location, e.getMessage());
        }
    }

    /**
     * The service's {@code when-down}: {@code "withdraw"} (also when absent) or
     * {@code { route-map = "NAME" }}. A problem is reported and reads as withdraw.
     */
    private Setting<WhenDown> whenDown(String ownerPath, TomlTable owner, Location ownerLocation) {
        String path = ownerPath + "." + WHEN_DOWN;
        Object value = owner.get(List.of(WHEN_DOWN));
        if (value == null) {
            return new Setting<>(WhenDown.WITHDRAW, path, ownerLocation);
        }
        Location location = source.at(owner.inputPositionOf(List.of(WHEN_DOWN)));
        String hint = "; write when-down = \"withdraw\" (the default) or when-down = { route-map = \"NAME\" }";
        if (value instanceof String text) {
            if (!text.equals("withdraw")) {
                report(path, location, Options.quote(text) + " is not a when-down" + hint);
            }
            return new Setting<>(WhenDown.WITHDRAW, path, location);
        }
        if (!(value instanceof TomlTable table)) {
            report(path, location, "expected \"withdraw\" or a table, got " + describe(value) + hint);
            return new Setting<>(WhenDown.WITHDRAW, path, location);
        }
        Options options = options(path, table, location);
        try {
            options.requireOnly("route-map");
            String routeMap = options.getString("route-map");
            if (routeMap.isBlank()) {
                throw options.error("route-map", "the route-map name is empty; name the route-map FRR applies while the service is down");
            }
            // Problems with the route-map (its prefix type, its name) are reported at the route-map key.
            return new Setting<>(new WhenDown.Through(routeMap), path + ".route-map",
                    source.at(table.inputPositionOf(List.of("route-map"))));
        } catch (ConfigurationException e) {
            addAll(location, e);
            return new Setting<>(WhenDown.WITHDRAW, path, location);
        }
    }

    /** {@code drain-hold} and {@code drain-route-map} as written in {@code options}; problems are reported and read as absent. */
    private DrainKeys drainKeys(Options options, TomlTable table, Location context) {
        Setting<Duration> hold = null;
        Setting<String> routeMap = null;
        boolean holdBroken = false;
        try {
            Duration duration = options.getDuration("drain-hold", null);
            if (duration != null) {
                hold = new Setting<>(duration, options.pathOf("drain-hold"), source.at(table.inputPositionOf(List.of("drain-hold"))));
            }
        } catch (ConfigurationException e) {
            addAll(context, e);
            holdBroken = true;
        }
        try {
            String name = options.getString("drain-route-map", null);
            if (name != null && name.isBlank()) {
                throw options.error("drain-route-map", "the route-map name is empty; name the route-map FRR applies while a drain holds");
            }
            if (name != null) {
                routeMap = new Setting<>(name, options.pathOf("drain-route-map"), source.at(table.inputPositionOf(List.of("drain-route-map"))));
            }
        } catch (ConfigurationException e) {
            addAll(context, e);
        }
        return new DrainKeys(hold, routeMap, holdBroken, routeMap == null && options.has("drain-route-map"));
    }

    /** The graceful drain the keys describe, when both are given. */
    private static Optional<GracefulDrain> complete(DrainKeys keys) {
        return keys.hold() == null || keys.routeMap() == null ? Optional.empty()
                : Optional.of(new GracefulDrain(keys.hold().value(), keys.routeMap().value()));
    }

    /** The graceful drain the keys describe: both or neither must be given. */
    private Optional<GracefulDrain> gracefulDrain(DrainKeys keys) {
        if (keys.hold() == null && keys.routeMap() == null || keys.holdBroken() || keys.routeMapBroken()) {
            return Optional.empty();
        }
        if (keys.routeMap() == null) {
            report(keys.hold().path(), keys.hold().location(), "a drain hold needs the route-map to hold the prefixes through;"
                    + " add drain-route-map = \"NAME\" (e.g. a route-map that sets the community 65535:0)");
            return Optional.empty();
        }
        if (keys.hold() == null) {
            report(keys.routeMap().path(), keys.routeMap().location(), "a drain route-map needs the time to hold the prefixes"
                    + " through it; add drain-hold = \"30s\"");
            return Optional.empty();
        }
        return complete(keys);
    }

    /**
     * Checks that {@code prefix} can be announced through {@code routePolicy}, reporting at the
     * key that named it: its type may have no route policies, or the name may be one its routing
     * daemon refuses, or it may be the prefix's own (then nothing would change).
     */
    private void requireForm(Built<Prefix> prefix, String routePolicy, String path, Location location, String when) {
        Optional<Prefix> form;
        try {
            form = prefix.value().through(routePolicy);
        } catch (IllegalArgumentException e) {
            report(path, location, e.getMessage());
            return;
        }
        if (form.isEmpty()) {
            report(path, location, prefix.path() + " (" + prefix.value().describe() + ") cannot be announced through a route-map:"
                    + " its prefix type has none; use when-down = \"withdraw\" and no drain-hold for it");
        } else if (form.get().describe().equals(prefix.value().describe())) {
            report(path, location, Options.quote(routePolicy) + " is the route-map " + prefix.path() + " is announced through"
                    + " already, so " + when + " it would be announced unchanged; name a route-map that makes it a last resort");
        }
    }

    private int positiveCount(Options service, String key, Location context) {
        try {
            int count = service.getInt(key, 1);
            if (count < 1) {
                throw service.error(key, count + " is not a positive integer; use 1 or more (the default is 1)");
            }
            return count;
        } catch (ConfigurationException e) {
            addAll(context, e);
            return 1;
        }
    }

    /** {@code require}: "all" (the default), "any", a count, or a percentage; {@code ALL} after reporting a problem. */
    private Requirement requirement(Options service, Location context) {
        Object value = service.get("require").orElse(null);
        try {
            if (value == null) {
                return Requirement.ALL;
            }
            if (value instanceof Long || value instanceof Integer) {
                long count = ((Number) value).longValue();
                if (count < 1) {
                    throw service.error("require", count + " is not a positive count of checks; " + REQUIRE_HINT);
                }
                return new Requirement.AtLeast((int) Math.min(count, Integer.MAX_VALUE));
            }
            if (!(value instanceof String text)) {
                throw service.error("require", "expected \"all\", \"any\", a count or a percentage, got " + describe(value)
                        + "; " + REQUIRE_HINT);
            }
            if (text.equals("all")) {
                return Requirement.ALL;
            }
            if (text.equals("any")) {
                return Requirement.ANY;
            }
            Matcher percentage = PERCENTAGE.matcher(text);
            if (percentage.matches()) {
                int percent = Integer.parseInt(percentage.group(1));
                if (percent < 1 || percent > 100) {
                    throw service.error("require", Options.quote(text) + " is not a percentage from 1% to 100%; " + REQUIRE_HINT);
                }
                return new Requirement.Percent(percent);
            }
            throw service.error("require", Options.quote(text) + " is not a rule for how many checks must pass; " + REQUIRE_HINT
                    + (text.strip().matches("\\d+") ? " (a count is written without quotes: require = " + text.strip() + ")" : ""));
        } catch (ConfigurationException e) {
            addAll(context, e);
            return Requirement.ALL;
        }
    }

    private void requireAtMostTheChecks(Options service, Requirement require, int checks, Location context) {
        if (require instanceof Requirement.AtLeast atLeast && atLeast.count() > checks) {
            addAll(context, service.error("require", atLeast.count() + " checks required, but the service has " + checks
                    + (checks == 1 ? " check" : " checks") + "; require at most " + checks + ", or \"all\""));
        }
    }

    /** {@code on-change} and {@code on-change-timeout}; empty when not given or after reporting a problem. */
    private Optional<ChangeHook> hook(Options service, Location context) {
        try {
            Duration timeout = service.getDuration("on-change-timeout", ChangeHook.DEFAULT_TIMEOUT);
            if (!service.has("on-change")) {
                if (service.has("on-change-timeout")) {
                    throw service.error("on-change-timeout", "a timeout without a hook; add on-change = [\"/path/to/program\", ...]"
                            + " or remove it");
                }
                return Optional.empty();
            }
            List<String> command = service.getStringList("on-change", List.of());
            if (command.isEmpty()) {
                throw service.error("on-change", "an empty command; give the program's absolute path and its arguments:"
                        + " on-change = [\"/usr/local/bin/notify\", \"arg\"]");
            }
            Path program;
            try {
                program = Path.of(command.get(0));
            } catch (java.nio.file.InvalidPathException e) {
                throw service.error("on-change", Options.quote(command.get(0)) + " is not a file path");
            }
            if (!program.isAbsolute()) {
                throw service.error("on-change", Options.quote(command.get(0)) + " is not an absolute path; give the program's"
                        + " full path, e.g. /usr/local/bin/" + program.getFileName());
            }
            if (!Files.exists(program)) {
                throw service.error("on-change", Options.quote(command.get(0)) + " does not exist; give the path of an"
                        + " executable program");
            }
            if (!Files.isRegularFile(program) || !Files.isExecutable(program)) {
                throw service.error("on-change", Options.quote(command.get(0)) + " is not an executable file; check the path,"
                        + " or make it executable (chmod +x)");
            }
            return Optional.of(new ChangeHook(command, timeout));
        } catch (ConfigurationException e) {
            addAll(context, e);
            return Optional.empty();
        }
    }

    /**
     * The {@code address} checks of the prefixes that {@code require-local} guards (each prefix's
     * own setting, else the service's), one per address and interface.
     */
    private List<Built<HealthCheck>> addressGuards(Options service, List<Built<Prefix>> prefixes, Location context) {
        boolean serviceLocal;
        String serviceInterface;
        try {
            serviceLocal = service.getBoolean("require-local", false);
            serviceInterface = service.getString("interface", null);
        } catch (ConfigurationException e) {
            addAll(context, e);
            return List.of();
        }
        if (serviceInterface != null && !serviceLocal && prefixes.stream().noneMatch(prefix -> prefix.own() != null
                && Boolean.TRUE.equals(prefix.own().get("require-local").orElse(null)))) {
            addAll(context, service.error("interface", "an interface without require-local; add require-local = true to"
                    + " announce only while the address is on " + Options.quote(serviceInterface) + ", or remove it"));
            return List.of();
        }
        Map<String, Built<HealthCheck>> guards = new LinkedHashMap<>();
        for (Built<Prefix> prefix : prefixes) {
            Options own = prefix.own();
            try {
                boolean local = own != null && own.has("require-local") ? own.getBoolean("require-local", false) : serviceLocal;
                String ownInterface = own == null ? null : own.getString("interface", null);
                if (ownInterface != null && !local) {
                    throw own.error("interface", "an interface without require-local; add require-local = true to announce"
                            + " only while the address is on " + Options.quote(ownInterface) + ", or remove it");
                }
                if (!local) {
                    continue;
                }
                Options at = own != null && (own.has("require-local") || ownInterface != null) ? own : service;
                String interfaceName = ownInterface != null ? ownInterface : serviceInterface;
                String address = prefix.value().prefix().address().getHostAddress();
                String key = address + " " + interfaceName;
                if (guards.containsKey(key)) {
                    continue;
                }
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("address", address);
                if (interfaceName != null) {
                    values.put("interface", interfaceName);
                }
                String keyPath = at.pathOf("require-local");
                Location location = at.has("require-local") ? at.locationOf("require-local") : prefix.location();
                Location interfaceLocation = at.has("interface") ? at.locationOf("interface") : location;
                ItemType<HealthCheck> type = checkType(ADDRESS_CHECK_TYPE, keyPath, location);
                Options options = Options.of(at.path(), location, values,
                        option -> option.equals("interface") ? interfaceLocation : location);
                List<Built<HealthCheck>> built = new ArrayList<>();
                create(type, options, keyPath, location, built, null);
                built.forEach(guard -> guards.put(key, guard));
            } catch (ConfigurationException e) {
                addAll(prefix.location(), e);
            }
        }
        return List.copyOf(guards.values());
    }

    private ItemType<Prefix> prefixType(String type, String keyPath, Location location) throws ConfigurationException {
        PrefixProvider provider = providers.prefixProvider(type, keyPath, location);
        return new ItemType<>(type, provider.requiredOptions(), provider::create, provider);
    }

    private ItemType<HealthCheck> checkType(String type, String keyPath, Location location) throws ConfigurationException {
        HealthCheckProvider provider = providers.checkProvider(type, keyPath, location);
        return new ItemType<>(type, provider.requiredOptions(), provider::create, provider);
    }

    /**
     * Reads {@code prefixes} or {@code checks} of one service: a table from type to a list of
     * items, each built by that type's provider.
     */
    private <T> List<Built<T>> readItems(String servicePath, String serviceName, TomlTable service, Location serviceLocation,
            String key, String noun, Set<String> knownTypes, Lookup<T> lookup, List<String> ownKeys) {
        String path = servicePath + "." + key;
        String known = knownTypes.isEmpty() ? "none is installed" : "one of " + String.join(", ", knownTypes);
        Object value = service.get(List.of(key));
        List<Built<T>> built = new ArrayList<>();
        if (value == null) {
            if (!hasAttemptAt(service, key)) {
                reportNone(path, serviceLocation, serviceName, key, known);
            }
            return built;
        }
        int problemsBefore = findings.size();
        Location location = source.at(service.inputPositionOf(List.of(key)));
        if (!(value instanceof TomlTable types)) {
            report(path, location, "expected a table from " + noun + " type to a list of " + key + ", got "
                    + describe(value) + "; write " + key + ".TYPE = [...], where TYPE is " + known);
            return built;
        }
        int items = 0;
        for (String type : keysInFileOrder(types)) {
            String typePath = path + "." + Options.pathSegment(type);
            Location typeLocation = source.at(types.inputPositionOf(List.of(type)));
            Object list = types.get(List.of(type));
            ItemType<T> itemType;
            try {
                itemType = lookup.find(type, typePath, typeLocation);
            } catch (ConfigurationException e) {
                addAll(typeLocation, e);
                continue;
            }
            if (!(list instanceof TomlArray array)) {
                report(typePath, typeLocation, "expected a list of " + key + ", got " + describe(list)
                        + "; put them in brackets: " + Options.pathSegment(type) + " = [...]");
                continue;
            }
            for (int index = 0; index < array.size(); index++) {
                items++;
                String itemPath = typePath + "[" + index + "]";
                Location itemLocation = source.atElement(array.inputPositionOf(index));
                Object item = array.get(index);
                if (noun.equals("prefix") && item instanceof TomlTable table && table.contains(List.of(WHEN_DOWN))) {
                    prefixWhenDown.put(itemPath, whenDown(itemPath, table, itemLocation));
                }
                Options own = null;
                if (item instanceof TomlTable itemTable && !ownKeys.isEmpty()) {
                    own = options(itemPath, itemTable, itemLocation, ownKeys::contains);
                }
                Options options = itemOptions(itemType, noun, itemPath, itemLocation, item, ownKeys);
                if (options != null) {
                    create(itemType, options, itemPath, itemLocation, built, own);
                }
            }
        }
        // Only when nothing else explains it: an unknown type or a bad list is the real mistake.
        if (items == 0 && findings.size() == problemsBefore) {
            reportNone(path, location, serviceName, key, known);
        }
        return built;
    }

    /**
     * Whether {@code table} has an unknown key that looks like a misspelling of {@code key}
     * (same first five letters, any case): that key is already reported with a suggestion, so
     * reporting {@code key} as missing too would send the operator to the wrong line first.
     */
    private static boolean hasAttemptAt(TomlTable table, String key) {
        return table.keySet().stream().anyMatch(candidate -> !candidate.equals(key)
                && candidate.regionMatches(true, 0, key, 0, Math.min(5, key.length())));
    }

    private void reportNone(String path, Location location, String serviceName, String key, String knownTypes) {
        report(path, location, "service " + Options.quote(serviceName) + " has no " + key
                + "; add at least one as " + key + ".TYPE = [...], where TYPE is " + knownTypes);
    }

    /** The options of one item: its table, or the short form's one required option. Null after reporting a problem. */
    private Options itemOptions(ItemType<?> itemType, String noun, String path, Location location, Object item,
            List<String> ownKeys) {
        List<String> required = itemType.requiredOptions();
        if (item instanceof TomlTable table) {
            // The reader's own keys (the address guard's, when-down) must not reach a provider that rejects unknown options.
            Options options = options(path, table, location,
                    key -> !ownKeys.contains(key) && !(noun.equals("prefix") && key.equals(WHEN_DOWN)));
            // The provider's create() may rely on its required options being there (the SPI says so).
            List<String> missing = required.stream().filter(option -> !options.has(option)).toList();
            for (String option : missing) {
                report(path + "." + option, location, "required option " + Options.quote(option) + " is missing");
            }
            if (!missing.isEmpty()) {
                return null;
            }
            return options;
        }
        if (item instanceof String text) {
            if (required.size() == 1) {
                return Options.of(path, location, Map.of(required.get(0), text), key -> location);
            }
            report(path, location, Options.quote(text) + " is a bare text, but " + noun + " type \""
                    + itemType.type() + "\" " + (required.isEmpty()
                            ? "has no required option for it to stand for; write a table: { option = value, ... }"
                            : "requires " + String.join(", ", required) + "; write a table: { "
                                    + String.join(" = ..., ", required) + " = ... }"));
            return null;
        }
        report(path, location, "expected a table of options" + (required.size() == 1
                ? " or text (the " + required.get(0) + ")" : "") + ", got " + describe(item));
        return null;
    }

    private <T> void create(ItemType<T> itemType, Options options, String path, Location location, List<Built<T>> built,
            Options own) {
        try {
            T value = itemType.factory().create(options);
            if (value == null) {
                throw new IllegalStateException("create returned null");
            }
            built.add(new Built<>(value, path, location, own));
        } catch (ConfigurationException e) {
            addAll(location, e);
        } catch (RuntimeException e) {
            // A provider bug, not an operator mistake; still reported with the item it failed on,
            // and attached to the exception so its stack trace is not lost.
            providerFailures.add(e);
            report(path, location, "the " + itemType.type() + " provider failed: " + e + "; this is a bug in "
                    + Providers.origin(itemType.provider()) + ", please report it");
        }
    }

    /**
     * Holds every check to {@link Options#MIN_INTERVAL}, also one whose provider reads its
     * interval without {@link Options#getInterval} (which names the option and its line).
     */
    private void requireShortestInterval(List<Built<HealthCheck>> checks) {
        for (Built<HealthCheck> check : checks) {
            Duration interval = check.value().interval();
            if (interval != null && interval.compareTo(Options.MIN_INTERVAL) < 0) {
                report(check.path(), check.location(), "check " + Options.quote(check.value().name()) + " would run every "
                        + interval + ", more often than every 100ms, the shortest interval; give it an interval of 100ms or more");
            }
        }
    }

    private void requireUniqueCheckNames(List<Built<HealthCheck>> checks) {
        Map<String, String> firstPathByName = new HashMap<>();
        for (Built<HealthCheck> check : checks) {
            String name = check.value().name();
            String first = firstPathByName.putIfAbsent(name, check.path());
            if (first != null) {
                report(check.path(), check.location(), "a second check named " + Options.quote(name) + " (the first is "
                        + first + "); give each check of a service its own name");
            }
        }
    }

    /**
     * Refuses a prefix that another service (or the same one) announces at the same place: the
     * two would undo each other's announcements and withdrawals.
     */
    private void requireOneOwner(String service, List<Built<Prefix>> prefixes) {
        for (Built<Prefix> prefix : prefixes) {
            String announcement = prefix.value().prefix() + " " + prefix.value().announcedIn();
            OwnedPrefix first = prefixOwners.putIfAbsent(announcement, new OwnedPrefix(service, prefix));
            if (first != null) {
                Location at = first.prefix().location();
                report(prefix.path(), prefix.location(), prefix.value().prefix() + " (" + prefix.value().announcedIn()
                        + ") is already a prefix of service " + Options.quote(first.service()) + " (" + first.prefix().path()
                        + (at.line() > 0 ? ", line " + at.line() : "") + "); one service owns each announcement, or each"
                        + " would undo the other's. To put a prefix behind several checks, list them all in one service");
            }
        }
    }

    private Options options(String path, TomlTable table, Location location) {
        return options(path, table, location, key -> true);
    }

    /** The keys of {@code table} that {@code taken} accepts, as options. */
    private Options options(String path, TomlTable table, Location location, java.util.function.Predicate<String> taken) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String key : keysInFileOrder(table)) {
            if (taken.test(key)) {
                values.put(key, plain(table.get(List.of(key))));
            }
        }
        return Options.of(path, location, values, key -> source.at(table.inputPositionOf(List.of(key))));
    }

    /** tomlj's values as the plain Java types {@link Options} documents: tables become maps, arrays lists. */
    private static Object plain(Object value) {
        if (value instanceof TomlTable table) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (String key : keysInFileOrder(table)) {
                map.put(key, plain(table.get(List.of(key))));
            }
            return Collections.unmodifiableMap(map);
        }
        if (value instanceof TomlArray array) {
            List<Object> list = new ArrayList<>(array.size());
            for (int index = 0; index < array.size(); index++) {
                list.add(plain(array.get(index)));
            }
            return Collections.unmodifiableList(list);
        }
        return value;
    }

    private static List<String> keysInFileOrder(TomlTable table) {
        Comparator<TomlPosition> byPosition = Comparator.nullsLast(
                Comparator.comparingInt(TomlPosition::line).thenComparingInt(TomlPosition::column));
        return table.keySet().stream()
                .sorted(Comparator.comparing(key -> table.inputPositionOf(List.of(key)), byPosition))
                .toList();
    }

    /** {@link Options#describe}, with tomlj's lists and tables named as the plain Java ones are. */
    private static String describe(Object value) {
        if (value instanceof TomlArray) {
            return "a list";
        }
        if (value instanceof TomlTable) {
            return "a table";
        }
        return Options.describe(value);
    }

    private void collect(Location context, Step step) {
        try {
            step.run();
        } catch (ConfigurationException e) {
            addAll(context, e);
        }
    }

    private void addAll(Location context, ConfigurationException e) {
        for (Problem problem : e.problems()) {
            findings.add(new Finding(problem.location().line() > 0 ? problem.location() : context, problem));
        }
    }

    private void report(String keyPath, Location location, String message) {
        findings.add(new Finding(location, new Problem(keyPath, location, message)));
    }

    private ConfigurationException failure(Kind kind) {
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparingInt((Finding finding) -> finding.sortAt().line())
                .thenComparingInt(finding -> finding.sortAt().column()));
        ConfigurationException exception = new ConfigurationException(kind, sorted.stream().map(Finding::problem).toList());
        providerFailures.forEach(exception::addSuppressed);
        return exception;
    }
}

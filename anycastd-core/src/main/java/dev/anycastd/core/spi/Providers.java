package dev.anycastd.core.spi;

import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The registry of prefix and health check providers, by type name.
 *
 * <p>{@link #load(ClassLoader)} finds them with {@link ServiceLoader}; two providers claiming
 * one type are an error that names both classes and where they came from, never a silent
 * choice. Immutable once built.
 */
public final class Providers {

    private final Map<String, PrefixProvider> prefixProviders;
    private final Map<String, HealthCheckProvider> checkProviders;

    private Providers(Map<String, PrefixProvider> prefixProviders, Map<String, HealthCheckProvider> checkProviders) {
        this.prefixProviders = prefixProviders;
        this.checkProviders = checkProviders;
    }

    /**
     * Finds every provider visible to {@code loader} (its own jars and its parents').
     *
     * @throws ConfigurationException of kind {@link ConfigurationException.Kind#PLUGINS} when a
     *     provider cannot be loaded or two providers claim the same type
     */
    public static Providers load(ClassLoader loader) throws ConfigurationException {
        return of(loadAll(PrefixProvider.class, loader), loadAll(HealthCheckProvider.class, loader));
    }

    /**
     * A registry of the given providers, for programs that build their services in code.
     *
     * @throws ConfigurationException when two providers claim the same type
     */
    public static Providers of(Collection<? extends PrefixProvider> prefixProviders,
            Collection<? extends HealthCheckProvider> checkProviders) throws ConfigurationException {
        return new Providers(
                index("prefix", prefixProviders, PrefixProvider::type),
                index("check", checkProviders, HealthCheckProvider::type));
    }

    /** The prefix types known, sorted. */
    public Set<String> prefixTypes() {
        return prefixProviders.keySet();
    }

    /** The check types known, sorted. */
    public Set<String> checkTypes() {
        return checkProviders.keySet();
    }

    /** Hands {@code listener} to every check provider, for the requests their push receivers answer. */
    public void publishPushRequestsTo(PushRequestListener listener) {
        checkProviders.values().forEach(provider -> provider.publishPushRequestsTo(listener));
    }

    /**
     * The provider of prefix {@code type}.
     *
     * @param keyPath where the type was named, for the error, e.g. {@code services.dns.prefixes.bird}
     * @param location where in the file, or {@link Location#UNKNOWN}
     * @throws ConfigurationException listing the known types when there is none of that type
     */
    public PrefixProvider prefixProvider(String type, String keyPath, Location location) throws ConfigurationException {
        return find(prefixProviders, "prefix", type, keyPath, location);
    }

    /**
     * The provider of check {@code type}.
     *
     * @param keyPath where the type was named, for the error, e.g. {@code services.dns.checks.consul}
     * @param location where in the file, or {@link Location#UNKNOWN}
     * @throws ConfigurationException listing the known types when there is none of that type
     */
    public HealthCheckProvider checkProvider(String type, String keyPath, Location location) throws ConfigurationException {
        return find(checkProviders, "check", type, keyPath, location);
    }

    private static <T> T find(Map<String, T> providers, String kind, String type, String keyPath, Location location)
            throws ConfigurationException {
        T provider = providers.get(type);
        if (provider == null) {
            String known = providers.isEmpty() ? "none" : String.join(", ", providers.keySet());
            throw new ConfigurationException(keyPath, location, "unknown " + kind + " type \"" + type + "\""
                    + Options.suggestion(type, providers.keySet()) + "; known: " + known
                    + ". Is its plugin jar in the plugins directory?");
        }
        return provider;
    }

    private static <T> List<T> loadAll(Class<T> service, ClassLoader loader) throws ConfigurationException {
        List<T> found = new ArrayList<>();
        try {
            for (T provider : ServiceLoader.load(service, loader)) {
                found.add(provider);
            }
        } catch (ServiceConfigurationError e) {
            throw new ConfigurationException(ConfigurationException.Kind.PLUGINS, List.of(new ConfigurationException.Problem(
                    "", Location.UNKNOWN, "could not load a " + service.getSimpleName() + ": " + e.getMessage()
                            + (e.getCause() == null ? "" : " (" + e.getCause() + ")")
                            + "; check that the plugin jar is complete and built for this anycastd version")));
        }
        return found;
    }

    private static <T> Map<String, T> index(String kind, Collection<? extends T> providers, Function<T, String> typeOf)
            throws ConfigurationException {
        Map<String, T> byType = new TreeMap<>();
        List<ConfigurationException.Problem> problems = new ArrayList<>();
        for (T provider : providers) {
            String type = typeOf.apply(provider);
            T previous = byType.putIfAbsent(type, provider);
            if (previous != null) {
                problems.add(new ConfigurationException.Problem("", Location.UNKNOWN,
                        kind + " type \"" + type + "\" is provided twice: by " + origin(previous) + " and by "
                                + origin(provider) + "; remove one of them from the class path or plugins directory"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(ConfigurationException.Kind.PLUGINS, problems);
        }
        return java.util.Collections.unmodifiableMap(byType);
    }

    /**
     * A provider's class and the jar or directory it was loaded from, for messages that must
     * say which plugin is at fault: {@code com.example.BirdPrefixProvider (/usr/share/anycastd/plugins/bird.jar)}.
     */
    public static String origin(Object provider) {
        Class<?> type = provider.getClass();
        CodeSource source = type.getProtectionDomain().getCodeSource();
        URL url = source == null ? null : source.getLocation();
        return type.getName() + (url == null ? "" : " (" + url.getPath() + ")");
    }
}

package dev.anycastd.daemon;

import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.HealthCheckProvider;
import dev.anycastd.core.spi.Location;
import dev.anycastd.core.spi.PrefixProvider;
import dev.anycastd.core.spi.Providers;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The providers anycastd can use: those on its own class path and those in the jars of a
 * plugins directory. Keeps the plugins' class loader open until closed.
 */
final class Plugins implements AutoCloseable {

    private static final List<String> SERVICES = List.of(PrefixProvider.class.getName(), HealthCheckProvider.class.getName());

    private final URLClassLoader loader;
    private final Providers providers;

    private Plugins(URLClassLoader loader, Providers providers) {
        this.loader = loader;
        this.providers = providers;
    }

    /**
     * Loads every jar in {@code directory} (none when {@code null}) into a class loader below
     * {@code parent} and finds the providers of both.
     *
     * @throws ConfigurationException of kind {@code PLUGINS} naming the directory or jar when one
     *     cannot be read, or naming both providers when two claim one type
     */
    static Plugins open(Path directory, ClassLoader parent) throws ConfigurationException {
        if (directory == null) {
            return new Plugins(null, Providers.load(parent));
        }
        List<Path> jars = jars(directory);
        List<URL> urls = new ArrayList<>();
        Map<String, Path> registeredBy = new HashMap<>();
        for (Path jar : jars) {
            urls.add(readable(jar, registeredBy));
        }
        URLClassLoader loader = new URLClassLoader("anycastd-plugins", urls.toArray(URL[]::new), parent);
        try {
            return new Plugins(loader, Providers.load(loader));
        } catch (ConfigurationException e) {
            try {
                loader.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** Every provider found. */
    Providers providers() {
        return providers;
    }

    @Override
    public void close() throws IOException {
        if (loader != null) {
            loader.close();
        }
    }

    private static List<Path> jars(Path directory) throws ConfigurationException {
        if (!Files.isDirectory(directory)) {
            throw error("plugins directory \"" + directory + "\" does not exist or is not a directory;"
                    + " create it or give the directory that holds plugin jars with --plugin-dir");
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw error("plugins directory \"" + directory + "\" cannot be listed: " + e + "; check its permissions");
        }
    }

    /**
     * The jar's URL, once it is known to open as a jar (a truncated or foreign file is named
     * here, not deep in a ServiceLoader error) and to register no provider another jar does:
     * one class loader would load the second copy's classes from the first jar, silently.
     */
    private static URL readable(Path jar, Map<String, Path> registeredBy) throws ConfigurationException {
        try (JarFile file = new JarFile(jar.toFile())) {
            for (String service : SERVICES) {
                JarEntry entry = file.getJarEntry("META-INF/services/" + service);
                if (entry == null) {
                    continue;
                }
                for (String provider : providerNames(file, entry)) {
                    Path other = registeredBy.putIfAbsent(provider, jar);
                    if (other != null) {
                        throw error("provider " + provider + " is registered by both " + other + " and " + jar
                                + "; keep one of them in the plugins directory");
                    }
                }
            }
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw error("plugin jar \"" + jar + "\" has a path that is not a URL: " + e.getMessage() + "; rename it");
        } catch (IOException e) {
            throw error("plugin jar \"" + jar + "\" cannot be read as a jar (" + e + "); replace it with a complete copy or remove it");
        }
    }

    /** The class names a ServiceLoader registration lists: one per line, {@code #} starts a comment. */
    private static List<String> providerNames(JarFile file, JarEntry entry) throws IOException {
        try (InputStream in = file.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(line -> line.replaceFirst("#.*", "").strip())
                    .filter(line -> !line.isEmpty())
                    .toList();
        }
    }

    private static ConfigurationException error(String message) {
        return new ConfigurationException(ConfigurationException.Kind.PLUGINS,
                List.of(new ConfigurationException.Problem("", Location.UNKNOWN, message)));
    }
}

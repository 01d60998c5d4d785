package dev.anycastd.daemon;

import dev.anycastd.core.spi.HealthCheckProvider;
import dev.anycastd.core.spi.PrefixProvider;
import dev.anycastd.testkit.plugin.FileRoutingProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes plugin jars for tests: the testkit's file-backed fake providers, registered for
 * {@link java.util.ServiceLoader} as a plugin author would register theirs.
 */
final class PluginJar {

    private static final String PACKAGE = FileRoutingProvider.class.getPackageName().replace('.', '/') + "/";

    private PluginJar() {
    }

    /** A jar at {@code jar} with the fake plugin classes, registering the given providers. */
    static Path write(Path jar, List<Class<? extends PrefixProvider>> prefixProviders,
            List<Class<? extends HealthCheckProvider>> checkProviders) throws IOException {
        List<String> registered = Stream.concat(prefixProviders.stream(), checkProviders.stream())
                .map(type -> type.getName().replace('.', '/') + ".class").toList();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        // Providers not registered here stay out, so each provider class comes from the jar that registers it.
        fakeClasses().forEach((name, bytes) -> {
            if (!name.endsWith("Provider.class") || registered.contains(name)) {
                entries.put(name, bytes);
            }
        });
        entries.put("META-INF/services/" + PrefixProvider.class.getName(), registration(prefixProviders));
        entries.put("META-INF/services/" + HealthCheckProvider.class.getName(), registration(checkProviders));
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
        return jar;
    }

    /**
     * A class loader like the test's, except that it does not see the fake plugin classes, so
     * that they are loaded from plugin jars, as they would be in the packaged program.
     */
    static ClassLoader classPathWithoutFakePlugins() {
        String hidden = FileRoutingProvider.class.getPackageName() + ".";
        return new ClassLoader(PluginJar.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith(hidden)) {
                    throw new ClassNotFoundException(name + " is only in plugin jars in this test");
                }
                return super.loadClass(name, resolve);
            }
        };
    }

    private static byte[] registration(List<? extends Class<?>> providers) {
        return providers.stream().map(Class::getName).collect(Collectors.joining("\n", "", "\n"))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The classes of the fake plugin package, from the testkit's class directory or jar. */
    private static Map<String, byte[]> fakeClasses() throws IOException {
        Path source;
        try {
            source = Path.of(FileRoutingProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the testkit: " + e.getMessage(), e);
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.list(source.resolve(PACKAGE))) {
                for (Path file : files.filter(path -> path.toString().endsWith(".class")).toList()) {
                    classes.put(PACKAGE + file.getFileName(), Files.readAllBytes(file));
                }
            }
        } else {
            try (JarFile jar = new JarFile(source.toFile())) {
                List<JarEntry> wanted = new ArrayList<>();
                for (Enumeration<JarEntry> all = jar.entries(); all.hasMoreElements(); ) {
                    JarEntry entry = all.nextElement();
                    String name = entry.getName();
                    if (name.startsWith(PACKAGE) && name.endsWith(".class") && name.indexOf('/', PACKAGE.length()) < 0) {
                        wanted.add(entry);
                    }
                }
                for (JarEntry entry : wanted) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        classes.put(entry.getName(), in.readAllBytes());
                    }
                }
            }
        }
        if (classes.isEmpty()) {
            throw new IOException("no fake plugin classes found in " + source);
        }
        return classes;
    }
}

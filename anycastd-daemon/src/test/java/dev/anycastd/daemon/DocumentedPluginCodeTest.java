package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java block of docs/PLUGINS.md is a verbatim part of a file the build compiles and tests
 * (the plugin template, the examples, the testkit's own tests), so what a plugin author copies compiles.
 */
class DocumentedPluginCodeTest {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);
    private static final List<Path> COMPILED = List.of(Path.of("../examples"), Path.of("../anycastd-testkit/src/test/java"));

    @Test
    void everyJavaBlockIsPartOfACompiledFile() throws IOException {
        String document = Files.readString(Path.of("../docs/PLUGINS.md"), StandardCharsets.UTF_8);
        List<String> sources = sources();
        List<String> blocks = new ArrayList<>();
        Matcher matcher = JAVA_BLOCK.matcher(document);
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }

        assertThat(blocks).as("the page shows the port, the provider and a test of each contract").hasSizeGreaterThanOrEqualTo(5);
        for (String block : blocks) {
            assertThat(sources).as("a compiled file holds this block of docs/PLUGINS.md verbatim:%n%s", block)
                    .anyMatch(source -> source.contains(block));
        }
    }

    private static List<String> sources() throws IOException {
        List<String> sources = new ArrayList<>();
        for (Path root : COMPILED) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(file -> file.toString().endsWith(".java") && !file.toString().contains("/target/"))
                        .forEach(file -> sources.add(read(file)));
            }
        }
        return sources;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

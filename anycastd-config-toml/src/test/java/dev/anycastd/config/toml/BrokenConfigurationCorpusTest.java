package dev.anycastd.config.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.ConfigurationException.Kind;
import dev.anycastd.core.spi.Providers;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Every file under {@code broken/} is a configuration an operator could write by mistake;
 * {@code broken/cases.psv} says which problem each must report.
 */
class BrokenConfigurationCorpusTest {

    private static final String CASES = "broken/cases.psv";

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = CASES, delimiter = '|', numLinesToSkip = 0, quoteCharacter = '`', useHeadersInDisplayName = false)
    void reportsTheExpectedProblemWithItsKeyPathAndLine(String file, Kind kind, String keyPath, int line, String fragment)
            throws Exception {
        Path path = broken(file);

        ConfigurationException error = catchThrowableOfType(ConfigurationException.class,
                () -> TomlConfiguration.load(path, providers()));

        assertThat(error).as("%s must be rejected", file).isNotNull();
        assertThat(error.kind()).isEqualTo(kind);
        String expectedPath = keyPath == null ? "" : keyPath;
        assertThat(error.problems())
                .as("problems of %s", file)
                .anySatisfy(problem -> {
                    assertThat(problem.keyPath()).isEqualTo(expectedPath);
                    assertThat(problem.location().line()).isEqualTo(line);
                    assertThat(problem.message()).contains(fragment);
                })
                .allSatisfy(problem -> assertThat(problem.location().file()).isEqualTo(path));
    }

    @Test
    void theCorpusHasAtLeastFortyFilesAndEachIsListedOnce() throws IOException, URISyntaxException {
        List<String> listed = Files.readAllLines(broken("cases.psv"), StandardCharsets.UTF_8).stream()
                .filter(row -> !row.startsWith("#"))
                .map(row -> row.substring(0, row.indexOf('|')))
                .toList();
        List<String> files;
        try (Stream<Path> entries = Files.list(broken("cases.psv").getParent())) {
            files = entries.map(entry -> entry.getFileName().toString()).filter(name -> name.endsWith(".toml")).toList();
        }

        assertThat(listed).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(40);
        assertThat(listed).containsExactlyInAnyOrderElementsOf(files);
    }

    private static Path broken(String file) throws URISyntaxException {
        return Path.of(BrokenConfigurationCorpusTest.class.getResource(CASES).toURI()).resolveSibling(file);
    }

    private static Providers providers() throws ConfigurationException {
        return Providers.of(List.of(new RecordingPrefixProvider()), List.of(new RecordingCheckProvider(), new ExecCheckProvider()));
    }

}

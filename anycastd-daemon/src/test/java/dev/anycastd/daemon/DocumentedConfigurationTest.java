package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anycastd.config.toml.TomlConfiguration;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.Providers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every TOML example in the README loads with the real providers, so the README stays true. */
class DocumentedConfigurationTest {

    private static final Pattern TOML_BLOCK = Pattern.compile("```toml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyTomlExampleOfTheReadmeIsAValidConfiguration() throws Exception {
        Path readme = Path.of("../README.md");
        List<String> examples = new ArrayList<>();
        Matcher block = TOML_BLOCK.matcher(Files.readString(readme, StandardCharsets.UTF_8));
        while (block.find()) {
            examples.add(block.group(1));
        }
        Providers providers = Providers.load(getClass().getClassLoader());

        assertThat(examples).isNotEmpty();
        for (String example : examples) {
            List<ServiceDefinition> services = TomlConfiguration.parse(example, readme, providers);
            assertThat(services).as("services in %s", example).isNotEmpty();
        }
    }
}

package dev.anycastd.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Build step: writes the man page {@code anycastd.8} and the bash completion script
 * {@code anycastd.bash} from the program's picocli model, so neither can drift from {@code --help}.
 * The build runs it with an empty environment, so that no default shows the build machine's.
 * Not part of the program operators run.
 */
public final class GenerateDocs {

    private GenerateDocs() {
    }

    /**
     * Usage: {@code GenerateDocs DIRECTORY VERSION DATE}.
     *
     * @throws IOException when a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: GenerateDocs DIRECTORY VERSION DATE");
        }
        Path directory = Files.createDirectories(Path.of(args[0]));
        CommandLine commandLine = AnycastdCommand.commandLine(Wiring.system());
        Files.writeString(directory.resolve("anycastd.8"), ManualPage.render(commandLine, args[1], args[2]), StandardCharsets.UTF_8);
        // bash-completion sources the script; a "#!" line would only make it look runnable.
        String completion = AutoComplete.bash("anycastd", commandLine).replaceFirst("\\A#!.*\n", "");
        Files.writeString(directory.resolve("anycastd.bash"), completion, StandardCharsets.UTF_8);
    }
}

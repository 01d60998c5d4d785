package dev.anycastd.daemon;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One execution of the command line with captured standard output and error. */
final class CommandLineRun {

    final CommandLine commandLine;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    CommandLineRun(Wiring wiring) {
        commandLine = AnycastdCommand.commandLine(wiring);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
    }

    int execute(String... args) {
        return commandLine.execute(args);
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }
}

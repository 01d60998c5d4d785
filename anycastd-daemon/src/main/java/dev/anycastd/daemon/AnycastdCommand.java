package dev.anycastd.daemon;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level command: only help, version and the subcommands. */
@Command(name = "anycastd", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Announces the BGP prefixes of anycasted services only while their health checks pass.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:success, or stopped by SIGTERM/SIGINT with every prefix withdrawn",
            " 1:status: a service is withdrawn, starting or being retried; check-now: a check is not healthy",
            "64:wrong command line, or a service the daemon does not run",
            "65:the configuration is not valid TOML, not a valid configuration, or too large",
            "66:the configuration file does not exist",
            "69:the daemon is not running (nothing answers on the control socket)",
            "70:internal error, or a prefix could not be withdrawn at exit",
            "73:the control socket cannot be created, or another anycastd answers on it",
            "74:the configuration file cannot be read",
            "76:the daemon's answer is not the control protocol this command speaks",
            "77:no permission to use the control socket",
            "78:plugins cannot be loaded, or the routing daemon cannot carry a prefix"})
final class AnycastdCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** The whole command line, wired to {@code wiring}. */
    static CommandLine commandLine(Wiring wiring) {
        CommandLine commandLine = new CommandLine(new AnycastdCommand())
                .addSubcommand(new RunCommand(wiring))
                .addSubcommand(new CheckConfigCommand(wiring))
                .addSubcommand(new StatusCommand())
                .addSubcommand(new DrainCommand())
                .addSubcommand(new ResumeCommand())
                .addSubcommand(new CheckNowCommand())
                .addSubcommand(new ReloadCommand());
        // These settings reach only the subcommands already added, so they come last.
        ExitCodes exitCodes = new ExitCodes();
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExitCodeExceptionMapper(exitCodes);
        commandLine.setExecutionExceptionHandler(new ErrorReport(exitCodes));
        commandLine.getCommandSpec().usageMessage().footer(HelpSection.footer());
        // picocli hands only Exceptions to the handler; an Error (out of memory, a plugin's missing
        // class) would end in a stack trace and exit 1, so it is handed over wrapped.
        commandLine.setExecutionStrategy(parseResult -> {
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (Error e) {
                throw new CommandLine.ExecutionException(commandLine, e.toString(), e);
            }
        });
        return commandLine;
    }

    /** Without a command there is nothing to do: show how to use the program. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}

package dev.anycastd.daemon;

import dev.anycastd.core.spi.ConfigurationException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.ParseResult;

/**
 * Prints why a command failed as one paragraph on standard error, without a stack trace, and
 * answers its exit code. Errors about what the operator wrote or set up are expected; anything
 * else is reported as an internal error.
 */
final class ErrorReport implements IExecutionExceptionHandler {

    private final IExitCodeExceptionMapper exitCodes;

    ErrorReport(IExitCodeExceptionMapper exitCodes) {
        this.exitCodes = exitCodes;
    }

    @Override
    public int handleExecutionException(Exception error, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        err.println(paragraph(error));
        err.flush();
        return exitCodes.getExitCode(error);
    }

    /** {@code anycastd: <message>}, continuation lines indented so the paragraph reads as one. */
    static String paragraph(Exception error) {
        Throwable cause = error instanceof CommandLine.ExecutionException && error.getCause() instanceof Error e ? e : error;
        String message;
        if (cause instanceof ConfigurationException || cause instanceof VerificationException || cause instanceof ControlException
                || cause instanceof MetricsListenException) {
            message = cause.getMessage();
        } else if (cause instanceof OutOfMemoryError) {
            message = "internal error: " + cause + "; give Java a larger heap with -Xmx in ANYCASTD_OPTS, e.g."
                    + " ANYCASTD_OPTS=-Xmx256m";
        } else {
            message = "internal error: " + cause + "; this is a bug in anycastd or one of its plugins, please report it";
        }
        return "anycastd: " + message.strip().replace("\n", "\n  ");
    }
}

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
        String message;
        if (error instanceof ConfigurationException || error instanceof VerificationException) {
            message = error.getMessage();
        } else {
            message = "internal error: " + error + "; this is a bug in anycastd or one of its plugins, please report it";
        }
        return "anycastd: " + message.strip().replace("\n", "\n  ");
    }
}

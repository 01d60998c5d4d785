package dev.anycastd.daemon;

import dev.anycastd.core.spi.ConfigurationException;
import picocli.CommandLine;
import picocli.CommandLine.IExitCodeExceptionMapper;

/** The program's exit codes, from {@code sysexits.h} as the original anycastd uses them, and which error gets which. */
final class ExitCodes implements IExitCodeExceptionMapper {

    static final int OK = 0;
    /** {@code status}, {@code check-now}: a service is not as wanted, or a check is not healthy. */
    static final int NOT_AS_WANTED = 1;
    /** EX_USAGE: the command line is wrong. */
    static final int USAGE = 64;
    /** EX_DATAERR: the configuration file is not valid TOML, not a valid configuration, or too large to read. */
    static final int DATA_ERROR = 65;
    /** EX_NOINPUT: the configuration file does not exist. */
    static final int NO_INPUT = 66;
    /** EX_UNAVAILABLE: the daemon is not running (nothing answers on the control socket). */
    static final int UNAVAILABLE = 69;
    /** EX_SOFTWARE: an internal error, or prefixes that could not be withdrawn at exit. */
    static final int SOFTWARE = 70;
    /** EX_IOERR: the configuration file cannot be read (or is a directory). */
    static final int IO_ERROR = 74;
    /** EX_CANTCREAT: the control socket cannot be created, or another daemon answers on it. */
    static final int CANNOT_CREATE = 73;
    /** EX_PROTOCOL: the daemon's answer is not the control protocol this command speaks. */
    static final int PROTOCOL = 76;
    /** EX_NOPERM: this user may not use the control socket. */
    static final int NO_PERMISSION = 77;
    /** EX_CONFIG: plugins cannot be loaded, the routing daemon cannot carry the prefixes, or the metrics address cannot be bound. */
    static final int CONFIG = 78;

    @Override
    public int getExitCode(Throwable error) {
        if (error instanceof ConfigurationException configuration) {
            return switch (configuration.kind()) {
                case MISSING_FILE -> NO_INPUT;
                case UNREADABLE_FILE -> IO_ERROR;
                case SYNTAX, INVALID -> DATA_ERROR;
                case PLUGINS -> CONFIG;
            };
        }
        if (error instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        if (error instanceof VerificationException || error instanceof MetricsListenException) {
            return CONFIG;
        }
        if (error instanceof ControlException control) {
            return switch (control.kind()) {
                case NOT_RUNNING -> UNAVAILABLE;
                case NO_PERMISSION -> NO_PERMISSION;
                case REFUSED -> USAGE;
                case PROTOCOL -> PROTOCOL;
                case FAILED -> SOFTWARE;
                case IN_USE, CANNOT_CREATE -> CANNOT_CREATE;
                case INVALID_CONFIGURATION -> DATA_ERROR;
                case MISSING_CONFIGURATION -> NO_INPUT;
                case UNREADABLE_CONFIGURATION -> IO_ERROR;
                case UNUSABLE_CONFIGURATION -> CONFIG;
            };
        }
        return SOFTWARE;
    }
}

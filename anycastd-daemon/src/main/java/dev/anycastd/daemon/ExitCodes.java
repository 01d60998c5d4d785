package dev.anycastd.daemon;

import dev.anycastd.core.spi.ConfigurationException;
import picocli.CommandLine;
import picocli.CommandLine.IExitCodeExceptionMapper;

/** The program's exit codes, from {@code sysexits.h} as the original anycastd uses them, and which error gets which. */
final class ExitCodes implements IExitCodeExceptionMapper {

    static final int OK = 0;
    /** EX_USAGE: the command line is wrong. */
    static final int USAGE = 64;
    /** EX_DATAERR: the configuration file is not valid TOML, not a valid configuration, or too large to read. */
    static final int DATA_ERROR = 65;
    /** EX_NOINPUT: the configuration file does not exist. */
    static final int NO_INPUT = 66;
    /** EX_SOFTWARE: an internal error, or prefixes that could not be withdrawn at exit. */
    static final int SOFTWARE = 70;
    /** EX_IOERR: the configuration file cannot be read (or is a directory). */
    static final int IO_ERROR = 74;
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
        return SOFTWARE;
    }
}

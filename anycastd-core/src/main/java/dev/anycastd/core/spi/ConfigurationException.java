package dev.anycastd.core.spi;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What an operator wrote cannot be used. Carries every problem found (a configuration file is
 * checked whole, so all its mistakes are reported at once), each with its key path, its
 * location in the file and a message that says what was expected.
 *
 * <p>The message of the exception is ready to print: one line per problem, reading
 * {@code file:line:column: key.path: problem; hint}.
 */
public final class ConfigurationException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What kind of mistake this is; the daemon maps it to an exit code. */
    public enum Kind {
        /** The configuration file does not exist (EX_NOINPUT, 66). */
        MISSING_FILE,
        /** The configuration file exists but cannot be read, or is a directory (EX_IOERR, 74). */
        UNREADABLE_FILE,
        /** The file is not valid TOML (EX_DATAERR, 65). */
        SYNTAX,
        /** The file is valid TOML but not a valid configuration, or too large to read (EX_DATAERR, 65). */
        INVALID,
        /** Plugins could not be loaded, or two claim the same type (EX_CONFIG, 78). */
        PLUGINS
    }

    /**
     * One mistake.
     *
     * @param keyPath where in the configuration, e.g. {@code services.ntp.prefixes.frrouting[0].vrf};
     *     empty for the file as a whole
     * @param location where in the file, or {@link Location#UNKNOWN}
     * @param message what is wrong and what was expected
     */
    public record Problem(String keyPath, Location location, String message) {
        /** Requires every component; use empty text and {@link Location#UNKNOWN} for "none". */
        public Problem {
            Objects.requireNonNull(keyPath, "keyPath");
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            String where = location.toString();
            return (where.isEmpty() ? "" : where + ": ") + (keyPath.isEmpty() ? "" : keyPath + ": ") + message;
        }
    }

    private final Kind kind;
    private final transient List<Problem> problems;

    /** One or more problems of one kind. */
    public ConfigurationException(Kind kind, List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a configuration error needs at least one problem");
        }
        this.kind = Objects.requireNonNull(kind, "kind");
        this.problems = List.copyOf(problems);
    }

    /** A single problem in what the operator wrote. */
    public ConfigurationException(String keyPath, Location location, String message) {
        this(Kind.INVALID, List.of(new Problem(keyPath, location, message)));
    }

    /** What kind of mistake this is. */
    public Kind kind() {
        return kind;
    }

    /** Every problem, in the order they appear in the file. */
    public List<Problem> problems() {
        return problems;
    }
}

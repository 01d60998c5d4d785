package dev.anycastd.daemon;

/**
 * The {@code anycastd} program: {@code anycastd run} announces the configured services'
 * prefixes while their health checks pass; {@code anycastd check-config} validates a
 * configuration file. Exit codes follow {@code sysexits.h}: 0 success, 64 usage, 65 invalid
 * configuration, 66 missing configuration file, 70 internal error or prefixes left announced,
 * 74 unreadable configuration file, 78 plugins or routing daemon not usable.
 */
public final class Main {

    private Main() {
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(AnycastdCommand.commandLine(Wiring.system()).execute(args));
    }
}

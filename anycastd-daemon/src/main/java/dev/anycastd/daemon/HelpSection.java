package dev.anycastd.daemon;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code anycastd --help} and the man page say beyond commands, options and exit codes: the
 * configuration file, the files anycastd uses, the environment the launcher reads and the signals.
 * Written once here, so the two cannot drift; the options' own environment variables come from
 * the options themselves.
 *
 * @param title the section's title, e.g. {@code Signals}
 * @param text a paragraph before the entries, or empty
 * @param entries a term and what it means, e.g. {@code SIGHUP} and "reload the configuration"
 */
record HelpSection(String title, String text, List<Entry> entries) {

    /** One term of a section and what it means. */
    record Entry(String term, String text) {
    }

    HelpSection {
        entries = List.copyOf(entries);
    }

    /** Every section, in the order both outputs show them. */
    static final List<HelpSection> ALL = List.of(
            new HelpSection("Configuration file",
                    "A TOML file, by default /etc/anycastd/config.toml; the original anycastd's configuration loads unchanged."
                            + " Each [services.NAME] table names the service's prefixes and checks by type; the service is"
                            + " announced only while every check passes. Example: [services.dns] prefixes.frrouting ="
                            + " [\"203.0.113.53\"] checks.cabourotte = [\"dns\"]. Every key of every type, with its default,"
                            + " is described in /usr/share/doc/anycastd/README.md. anycastd check-config validates a file.",
                    List.of()),
            new HelpSection("Files", "", List.of(
                    new Entry("/etc/anycastd/config.toml", "the configuration file"),
                    new Entry("/var/lib/anycastd/announced.json",
                            "the prefixes this host may have announced, so a restart withdraws those the configuration dropped"),
                    new Entry("/var/lib/anycastd/drains.json", "the services an operator drained; they stay drained across restarts"),
                    new Entry("/run/anycastd/control.sock", "the running daemon's control socket (mode 0660)"),
                    new Entry("/usr/share/anycastd/plugins", "jars of further prefix and check types"),
                    new Entry("/lib/systemd/system/anycastd.service", "the systemd unit (Type=notify, with a watchdog)"))),
            new HelpSection("Environment", "Besides the variables named by the options above:", List.of(
                    new Entry("JAVA_HOME", "the Java 17 or newer the launcher runs; else java on PATH"),
                    new Entry("ANYCASTD_OPTS", "further JVM options for the launcher, e.g. -Xmx256m"),
                    new Entry("NO_COLOR", "when set, human logs are not coloured"),
                    new Entry("NOTIFY_SOCKET, WATCHDOG_USEC", "set by systemd: readiness, status and watchdog notifications"))),
            new HelpSection("Signals", "", List.of(
                    new Entry("SIGTERM, SIGINT", "withdraw every prefix (bounded by --shutdown-timeout), then exit"),
                    new Entry("SIGHUP", "read the configuration again and apply only what changed; a broken file changes nothing"),
                    new Entry("SIGURG", "run every check of every service now"))));

    /** The sections as picocli footer lines for {@code --help}. */
    static String[] footer() {
        List<String> lines = new ArrayList<>();
        for (HelpSection section : ALL) {
            lines.add("%n" + section.title() + ":");
            if (!section.text().isEmpty()) {
                lines.add("  " + section.text());
            }
            for (Entry entry : section.entries()) {
                lines.add(String.format("  %-36s %s", entry.term(), entry.text()));
            }
        }
        return lines.toArray(String[]::new);
    }
}

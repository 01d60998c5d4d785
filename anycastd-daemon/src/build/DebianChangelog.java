import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Build step, run as a single-file program by the daemon's build (never shipped): turns the
 * repository's CHANGELOG.md into the Debian changelog format the package installs as
 * /usr/share/doc/anycastd/changelog.gz, so the project keeps one changelog.
 *
 * <p>Usage: {@code java DebianChangelog.java CHANGELOG.md OUTPUT PROJECT-VERSION MAINTAINER BUILD-DATE}.
 * An entry {@code ## 0.1.0 (unreleased)} takes the package's version (0.1.0-SNAPSHOT becomes 0.1.0~SNAPSHOT, as in the .deb) and the
 * build date; {@code ## 0.1.0 (2026-12-24)} keeps its own. Anything else in the file but the
 * entries' {@code - } items and their two-space continuations is a mistake and stops the build.
 */
public class DebianChangelog {

    private static final Pattern HEADING = Pattern.compile("## (\\S+) \\((unreleased|\\d{4}-\\d{2}-\\d{2})\\)");
    private static final DateTimeFormatter RFC_2822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: DebianChangelog CHANGELOG.md OUTPUT PROJECT-VERSION MAINTAINER BUILD-DATE");
        }
        Path input = Path.of(args[0]);
        List<String> lines = Files.readAllLines(input, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        String trailer = null;
        boolean inEntry = false;
        StringBuilder item = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (item.length() > 0 && !(line.startsWith("  ") && !line.isBlank())) {
                wrap(item.toString(), out);
                item.setLength(0);
            }
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                if (trailer != null) {
                    out.add("");
                    out.add(trailer);
                    out.add("");
                }
                boolean unreleased = heading.group(2).equals("unreleased");
                // jdeb turns 0.1.0-SNAPSHOT into 0.1.0~SNAPSHOT, which sorts before 0.1.0.
                String version = unreleased ? args[2].replace("-SNAPSHOT", "~SNAPSHOT") : heading.group(1);
                LocalDate date = LocalDate.parse(unreleased ? args[4] : heading.group(2));
                out.add("anycastd (" + version + ") " + (unreleased ? "UNRELEASED" : "unstable") + "; urgency=medium");
                out.add("");
                trailer = " -- " + args[3] + "  " + RFC_2822.format(date.atStartOfDay(ZoneOffset.UTC));
                inEntry = true;
            } else if (inEntry && line.startsWith("- ")) {
                item.append(line.substring(2).strip());
            } else if (inEntry && line.startsWith("  ") && !line.isBlank() && item.length() > 0) {
                item.append(' ').append(line.strip());
            } else if (!line.isBlank() && inEntry) {
                throw new IllegalArgumentException(input + ":" + (i + 1) + ": expected a \"- \" item, a two-space continuation"
                        + " or a \"## VERSION (YYYY-MM-DD|unreleased)\" heading, got: " + line);
            }
        }
        if (item.length() > 0) {
            wrap(item.toString(), out);
        }
        if (trailer == null) {
            throw new IllegalArgumentException(input + " has no \"## VERSION (YYYY-MM-DD|unreleased)\" entry");
        }
        out.add("");
        out.add(trailer);
        Files.writeString(Path.of(args[1]), String.join("\n", out) + "\n", StandardCharsets.UTF_8);
    }

    /** One item as {@code "  * "} and {@code "    "} lines of at most 80 characters, as Debian's tools expect. */
    private static void wrap(String item, List<String> out) {
        StringBuilder line = new StringBuilder("  *");
        for (String word : item.split(" +")) {
            if (line.length() + 1 + word.length() > 80 && line.length() > 4) {
                out.add(line.toString());
                line = new StringBuilder("   ");
            }
            line.append(' ').append(word);
        }
        out.add(line.toString());
    }
}

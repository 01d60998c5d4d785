package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anycastd.testkit.frr.FrrLabExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/quickstart.sh}, the README's first command, run for real (without its build
 * and apt steps, which the build has done), so that it cannot rot: every step it narrates must
 * be seen on the upstream router, and it must leave nothing behind, also when interrupted.
 */
class QuickstartIT {

    private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve("examples/quickstart.sh");
    private static final Pattern NAMESPACE = Pattern.compile("namespace (anycastd-([0-9a-f]+)-(?:host|upstream))");
    private static final Pattern SCRATCH = Pattern.compile("(/tmp/anycastd-quickstart\\.[A-Za-z0-9]+)/config\\.toml is valid");

    @TempDir
    Path work;

    @Test
    void theQuickstartShowsEachStepOnTheUpstreamRouterAndLeavesNothingBehind() throws Exception {
        FrrLabExtension.assumeAvailable();
        Path output = work.resolve("quickstart.txt");
        // The script reads the class path the testkit's build wrote, as on a user's machine.
        Process quickstart = start(output, false);

        assertThat(quickstart.waitFor(120, TimeUnit.SECONDS)).as("finished within two minutes").isTrue();
        String narration = Files.readString(output);
        assertThat(quickstart.exitValue()).as(narration).isZero();
        assertThat(narration).containsSubsequence(
                "==> 5. Running anycastd",
                "Service \"dns\" is now considered healthy, announcing related prefixes.",
                "*> 203.0.113.53/32", "*> 203.0.113.123/32", "*> 2001:db8::53/128",
                "==> 6. The \"dns\" check fails",
                "Service \"dns\" is now considered unhealthy, denouncing related prefixes:",
                "*> 203.0.113.123/32",
                "==> 7. The \"dns\" check passes again",
                "*> 203.0.113.53/32",
                "==> 8. Maintenance: the operator drains \"dns\"",
                "Drained service \"dns\" until resumed: BIND upgrade.",
                "Service \"dns\" is drained, denouncing related prefixes.",
                "dns      drained",
                "*> 203.0.113.123/32",
                "==> 9. Maintenance done",
                "Resumed service \"dns\"",
                "*> 203.0.113.53/32",
                "==> 10. anycastd gets SIGTERM",
                "Received SIGTERM, terminating.", "Service \"dns\" terminated.", "Service \"ntp\" terminated.",
                "anycastd exited with 0.",
                "(no route: the upstream router knows none of the service prefixes)",
                "==> Done");
        assertLeftNothingBehind(narration);
    }

    @Test
    void anInterruptedQuickstartStillCleansUp() throws Exception {
        FrrLabExtension.assumeAvailable();
        Path output = work.resolve("quickstart.txt");
        Process quickstart = start(output, true);
        await().atMost(Duration.ofSeconds(60)).until(() -> !quickstart.isAlive() || Files.readString(output).contains("==> 6."));
        assertThat(quickstart.isAlive()).as(Files.readString(output)).isTrue();

        // What Ctrl-C sends to the script.
        Process interrupt = new ProcessBuilder("kill", "-INT", Long.toString(quickstart.pid())).inheritIO().start();
        assertThat(interrupt.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(quickstart.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
        String narration = Files.readString(output);
        assertThat(quickstart.exitValue()).as(narration).isEqualTo(130);
        assertThat(narration).doesNotContain("==> Done").contains("quickstart: stopped (exit 130)");
        assertLeftNothingBehind(narration);
    }

    /**
     * Runs the script without its setup steps. {@code env --default-signal=INT}: a shell cannot
     * trap a signal that was ignored when it started, as SIGINT is for a build started in the
     * background, while on a terminal it is not.
     */
    private Process start(Path output, boolean testkitClassPathFromThisJvm) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("env", "--default-signal=INT", "bash", SCRIPT.toString())
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("QUICKSTART_SKIP_SETUP", "1");
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        builder.environment().remove("ANYCASTD_TESTKIT_CLASSPATH");
        if (testkitClassPathFromThisJvm) {
            // Saves a Maven run: this test's class path holds the testkit and everything it needs.
            builder.environment().put("ANYCASTD_TESTKIT_CLASSPATH", System.getProperty("java.class.path"));
        }
        return builder.start();
    }

    private static void assertLeftNothingBehind(String narration) throws Exception {
        List<String> namespaces = matches(NAMESPACE, narration);
        assertThat(namespaces).as("the lab's namespaces, as the script named them").hasSize(2);
        assertThat(run("ip", "netns", "list")).doesNotContain(namespaces);
        List<String> scratch = matches(SCRATCH, narration);
        assertThat(scratch).as("the script's scratch directory").hasSize(1);
        assertThat(Path.of(scratch.get(0))).doesNotExist();
        String labId = NAMESPACE.matcher(narration).results().findFirst().orElseThrow().group(2);
        assertThat(run("ps", "-eo", "args")).as("processes of the lab or of anycastd")
                .doesNotContain("anycastd-frr-lab-" + labId, scratch.get(0));
    }

    private static List<String> matches(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.results().map(result -> result.group(1)).distinct().toList();
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return output;
    }
}

package dev.anycastd.testkit.frr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrrLabMainTest {

    @TempDir
    Path work;

    @Test
    void printsTheLabsFactsThenClosesTheLabWhenStandardInputEnds() throws Exception {
        FrrLabExtension.assumeAvailable();
        Process main = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FrrLabMain.class.getName())
                .redirectError(work.resolve("stderr.txt").toFile())
                .start();
        try {
            Map<String, String> facts = readFacts(main);

            assertThat(facts).containsOnlyKeys("LAB_ID", "HOST_NAMESPACE", "HOST_VTYSH", "HOST_ASN",
                    "UPSTREAM_NAMESPACE", "UPSTREAM_VTYSH", "UPSTREAM_ASN", "READY");
            assertThat(facts).containsEntry("HOST_ASN", "65001").containsEntry("UPSTREAM_ASN", "65002");
            assertThat(namespaces()).contains(facts.get("HOST_NAMESPACE"), facts.get("UPSTREAM_NAMESPACE"));
            assertThat(Path.of(facts.get("UPSTREAM_VTYSH"))).isExecutable();
            assertThat(run(facts.get("UPSTREAM_VTYSH"), "-c", "show bgp summary")).contains("local AS number 65002");

            main.getOutputStream().close();

            assertThat(main.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(main.exitValue()).isZero();
            assertThat(namespaces()).doesNotContain(facts.get("HOST_NAMESPACE"), facts.get("UPSTREAM_NAMESPACE"));
            assertThat(Path.of(facts.get("HOST_VTYSH"))).doesNotExist();
        } finally {
            main.destroyForcibly();
        }
    }

    @Test
    void sigtermClosesTheLabWhileStandardInputStaysOpen() throws Exception {
        FrrLabExtension.assumeAvailable();
        Process main = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FrrLabMain.class.getName())
                .redirectError(work.resolve("stderr.txt").toFile())
                .start();
        try {
            Map<String, String> facts = readFacts(main);

            // Not Process.destroy(): it also closes the lab's standard input, which alone ends the lab.
            run("kill", "-TERM", Long.toString(main.pid()));

            await().atMost(Duration.ofSeconds(30)).until(() -> !main.isAlive());
            assertThat(main.exitValue()).as("the JVM's status after SIGTERM").isEqualTo(143);
            assertThat(namespaces()).doesNotContain(facts.get("HOST_NAMESPACE"), facts.get("UPSTREAM_NAMESPACE"));
        } finally {
            main.destroyForcibly();
        }
    }

    /** The KEY=VALUE lines up to READY, which the lab prints once BGP is up. */
    private static Map<String, String> readFacts(Process main) throws IOException {
        Map<String, String> facts = new LinkedHashMap<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(main.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while (!facts.containsKey("READY") && (line = out.readLine()) != null) {
            int equals = line.indexOf('=');
            assertThat(equals).as("a KEY=VALUE line: %s", line).isPositive();
            facts.put(line.substring(0, equals), line.substring(equals + 1));
        }
        assertThat(facts).as("the lab's facts up to READY").containsEntry("READY", "yes");
        return facts;
    }

    private static List<String> namespaces() throws IOException, InterruptedException {
        return run("ip", "netns", "list").lines().map(line -> line.split(" ")[0]).toList();
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}

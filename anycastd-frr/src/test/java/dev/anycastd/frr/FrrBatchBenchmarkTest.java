package dev.anycastd.frr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.spi.Options;
import dev.anycastd.testkit.frr.FrrLab;
import dev.anycastd.testkit.frr.FrrLabExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures what announcing one service's prefixes costs on real FRR: wall time and vtysh
 * processes, batched and one by one; and one {@code network}/{@code no network} change, and a
 * reconcile's read of 1,000 prefixes, through vtysh and through bgpd's vty socket. Prints the figures (see target/surefire-reports/*-output.txt);
 * asserts only the process counts and that the upstream router learned and lost every prefix.
 */
@ExtendWith(FrrLabExtension.class)
class FrrBatchBenchmarkTest {

    private final FrrLab lab;

    @TempDir
    Path directory;

    FrrBatchBenchmarkTest(FrrLab lab) {
        this.lab = lab;
    }

    @Test
    void batchedAnnouncementCostsOneConfigurationCallWhateverTheNumberOfPrefixes() throws Exception {
        List<String> report = new ArrayList<>();
        report.add(String.format("%-22s %9s %7s %12s %9s %7s %12s", "prefixes", "announce", "vtysh", "upstream has", "withdraw", "vtysh",
                "upstream lost"));
        int block = 0;
        for (int count : new int[] {1, 10, 100, 1000}) {
            block++;
            Path calls = directory.resolve("calls-" + count);
            List<Prefix> prefixes = prefixes(block, count, countingVtysh(calls));
            List<IpPrefix> networks = prefixes.stream().map(Prefix::prefix).toList();
            lab.host().addLoopbackAddresses(networks);
            BgpInstance batch = (BgpInstance) prefixes.get(0).batch();

            long start = System.nanoTime();
            batch.announce(prefixes);
            long announced = System.nanoTime();
            int announceCalls = Files.readAllLines(calls).size();
            lab.upstream().awaitRoutes(networks);
            long learned = System.nanoTime();

            batch.withdraw(prefixes);
            long withdrawn = System.nanoTime();
            int withdrawCalls = Files.readAllLines(calls).size() - announceCalls;
            lab.upstream().awaitNoRoutes(networks);
            long lost = System.nanoTime();

            assertThat(announceCalls).as("AS number lookup and one configuration").isEqualTo(2);
            assertThat(withdrawCalls).as("one configuration: what is withdrawn was announced").isEqualTo(1);
            report.add(String.format("%-22s %7d ms %7d %9d ms %7d ms %7d %10d ms", count + " batched", millis(start, announced), announceCalls,
                    millis(start, learned), millis(learned, withdrawn), withdrawCalls, millis(learned, lost)));
        }

        Path calls = directory.resolve("calls-single");
        List<Prefix> prefixes = prefixes(++block, 100, countingVtysh(calls));
        List<IpPrefix> networks = prefixes.stream().map(Prefix::prefix).toList();
        lab.host().addLoopbackAddresses(networks);
        long start = System.nanoTime();
        for (Prefix prefix : prefixes) {
            prefix.announce();
        }
        long announced = System.nanoTime();
        int announceCalls = Files.readAllLines(calls).size();
        lab.upstream().awaitRoutes(networks);
        long learned = System.nanoTime();
        for (Prefix prefix : prefixes) {
            prefix.withdraw();
        }
        long withdrawn = System.nanoTime();
        int withdrawCalls = Files.readAllLines(calls).size() - announceCalls;
        lab.upstream().awaitNoRoutes(networks);
        long lost = System.nanoTime();
        assertThat(announceCalls).isEqualTo(101);
        report.add(String.format("%-22s %7d ms %7d %9d ms %7d ms %7d %10d ms", "100 one by one", millis(start, announced), announceCalls,
                millis(start, learned), millis(learned, withdrawn), withdrawCalls, millis(learned, lost)));

        System.out.println("FRR batch benchmark (wall time; vtysh = processes started):\n" + String.join("\n", report));
    }

    @Test
    void oneNetworkChangeThroughVtyshAndThroughBgpdsSocket() throws Exception {
        int rounds = 50;
        List<String> report = new ArrayList<>();
        report.add(String.format("%-34s %s", "n=" + rounds + " each, wall time of the call", "min / p50 / p90 / max"));
        int block = 20;
        for (LabTransport transport : LabTransport.values()) {
            block++;
            Map<String, String> options = new HashMap<>(transport.options(lab.host()));
            options.put("prefix", "10." + block + ".0.1");
            Prefix prefix = new FrrPrefixProvider().create(Options.of("services.bench.prefixes.frrouting[0]", options));
            lab.host().addLoopbackAddresses(List.of(prefix.prefix()));
            prefix.verify();
            List<Long> announce = new ArrayList<>();
            List<Long> withdraw = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                prefix.announce();
                long announced = System.nanoTime();
                prefix.withdraw();
                long withdrawn = System.nanoTime();
                announce.add(announced - start);
                withdraw.add(withdrawn - announced);
            }
            assertThat(prefix.isAnnounced()).isFalse();
            report.add(String.format("%-34s %s", transport + ": network (announce)", summary(announce)));
            report.add(String.format("%-34s %s", transport + ": no network (withdraw)", summary(withdraw)));

            List<Prefix> many = prefixes(block + 10, 1000, options);
            lab.host().addLoopbackAddresses(many.stream().map(Prefix::prefix).toList());
            BgpInstance batch = (BgpInstance) many.get(0).batch();
            batch.announce(many);
            lab.upstream().awaitRoutes(many.stream().map(Prefix::prefix).toList());
            long first = System.nanoTime();
            batch.announced(many);
            long firstDone = System.nanoTime();
            List<Long> reads = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                long start = System.nanoTime();
                assertThat(batch.announced(many)).hasSize(1000);
                reads.add(System.nanoTime() - start);
            }
            batch.withdraw(many);
            report.add(String.format("%-34s %s", transport + ": read 1,000 after announcing", (firstDone - first) / 1_000_000 + " ms (with validity)"));
            report.add(String.format("%-34s %s", transport + ": read 1,000 again (reconcile)", summary(reads)));
        }
        System.out.println("FRR transports, one network change (lab vtysh is a sh wrapper around /usr/bin/vtysh):\n"
                + String.join("\n", report));
    }

    private static String summary(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return String.format(java.util.Locale.ROOT, "%.1f / %.1f / %.1f / %.1f ms", sorted.get(0) / 1e6, sorted.get(sorted.size() / 2) / 1e6,
                sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1) / 1e6, sorted.get(sorted.size() - 1) / 1e6);
    }

    /** {@code count} host routes in 10.{block}.0.0/16 with the same {@code options} otherwise. */
    private static List<Prefix> prefixes(int block, int count, Map<String, String> options) throws Exception {
        FrrPrefixProvider provider = new FrrPrefixProvider();
        List<Prefix> prefixes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, String> all = new HashMap<>(options);
            all.put("prefix", "10." + block + "." + (i / 250) + "." + (1 + i % 250));
            prefixes.add(provider.create(Options.of("services.bench.prefixes.frrouting[" + i + "]", all)));
        }
        return prefixes;
    }

    /** {@code count} host routes in 10.{block}.0.0/16, all through one vtysh. */
    private static List<Prefix> prefixes(int block, int count, Path vtysh) throws Exception {
        FrrPrefixProvider provider = new FrrPrefixProvider();
        List<Prefix> prefixes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String address = "10." + block + "." + (i / 250) + "." + (1 + i % 250);
            prefixes.add(provider.create(Options.of("services.bench.prefixes.frrouting[" + i + "]",
                    Map.of("prefix", address, "vtysh", vtysh.toString()))));
        }
        return prefixes;
    }

    private Path countingVtysh(Path calls) throws Exception {
        Path script = directory.resolve("vtysh-" + calls.getFileName());
        Files.writeString(calls, "");
        Files.writeString(script, "#!/bin/sh\necho call >> " + calls + "\nexec " + lab.host().vtysh() + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }
}

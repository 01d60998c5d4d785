package dev.anycastd.daemon.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.prefix.Prefix;
import dev.anycastd.core.runtime.AnycastRuntime;
import dev.anycastd.core.runtime.RuntimeEvent;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.testkit.ScriptedHealthCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier with the real runtime and libsystemd's sd_notify, sending to a notify socket the
 * test binds: READY only after the first reconcile found everything converged, and no WATCHDOG
 * while the reconcile loop is stuck.
 */
class SystemdNotifierTest {

    @TempDir
    Path directory;

    private final List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
    private AnycastRuntime runtime;
    private NotifySocket socket;

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (socket != null) {
            socket.close();
        }
    }

    @Test
    void outsideSystemdThereIsNoNotifier() {
        assertThat(SystemdNotifier.fromEnvironment(Map.of(), List.of())).isEmpty();
        assertThat(SystemdNotifier.watchdogTimeout(Map.of())).isEmpty();
        assertThat(SystemdNotifier.watchdogTimeout(Map.of("WATCHDOG_USEC", "90000000"))).contains(Duration.ofSeconds(90));
        assertThat(SystemdNotifier.watchdogTimeout(Map.of("WATCHDOG_USEC", "90000000", "WATCHDOG_PID", "1")))
                .as("the watchdog is another process's").isEmpty();
    }

    @Test
    void readyOnlyAfterTheFirstReconcileAndNoWatchdogWhileTheReconcileLoopIsStuck() throws Exception {
        socket = NotifySocket.bind(directory.resolve("notify"));
        socket.exportToThisProcess();
        StuckablePrefix prefix = new StuckablePrefix(IpPrefix.parse("203.0.113.53"));
        ScriptedHealthCheck dns = new ScriptedHealthCheck("dns", Duration.ofMillis(200), Duration.ofSeconds(30));
        dns.healthy();
        dns.hang();
        List<ServiceDefinition> services = List.of(new ServiceDefinition("dns", List.of(prefix), List.of(dns)));
        SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.path().toString()), services)
                .orElseThrow();
        runtime = AnycastRuntime.builder().services(services).reconcileInterval(Duration.ofMillis(100))
                .operationTimeout(Duration.ofMillis(500))
                .eventListener(events::add) // before the notifier: it has seen every reconcile the notifier reports
                .eventListener(notifier).build();
        runtime.start();

        await("watchdog pings from reconciles while the check has not answered").atMost(Duration.ofSeconds(20))
                .until(() -> socket.count("WATCHDOG=1") >= 3);
        assertThat(socket.count("READY=1")).as("the service has not been evaluated yet").isZero();

        dns.release();

        await("READY").atMost(Duration.ofSeconds(20)).until(() -> socket.count("READY=1") == 1);
        assertThat(events).as("a converged reconcile came first")
                .anyMatch(event -> event instanceof RuntimeEvent.ReconcileCompleted reconcile && reconcile.converged());
        assertThat(socket.messages()).anyMatch(message -> message.contains("STATUS=1 announced, 0 withdrawn, 0 drained"));

        prefix.stick();
        try {
            await("the reconcile loop is stuck").atMost(Duration.ofSeconds(20)).until(prefix::isStuckNow);
            long pings = socket.count("WATCHDOG=1");
            await("no watchdog ping while stuck").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> socket.count("WATCHDOG=1") == pings);
        } finally {
            prefix.release();
        }
        long pings = socket.count("WATCHDOG=1");
        await("pings again once the loop moves").atMost(Duration.ofSeconds(20)).until(() -> socket.count("WATCHDOG=1") > pings);
        assertThat(socket.count("READY=1")).as("READY once").isEqualTo(1);
    }

    /** A prefix whose read can be made to hang, deaf to interrupts: a reconcile loop stuck beyond any time limit. */
    private static final class StuckablePrefix implements Prefix {
        private final IpPrefix prefix;
        private volatile boolean announced;
        private volatile CountDownLatch stuck;
        private volatile boolean stuckNow;

        StuckablePrefix(IpPrefix prefix) {
            this.prefix = prefix;
        }

        void stick() {
            stuck = new CountDownLatch(1);
        }

        void release() {
            CountDownLatch latch = stuck;
            stuck = null;
            if (latch != null) {
                latch.countDown();
            }
        }

        boolean isStuckNow() {
            return stuckNow;
        }

        @Override
        public IpPrefix prefix() {
            return prefix;
        }

        @Override
        public void announce() {
            announced = true;
        }

        @Override
        public void withdraw() {
            announced = false;
        }

        @Override
        public boolean isAnnounced() {
            CountDownLatch latch = stuck;
            if (latch != null) {
                stuckNow = true;
                boolean interrupted = false;
                while (latch.getCount() > 0) {
                    try {
                        latch.await();
                    } catch (InterruptedException e) {
                        interrupted = true; // deaf to the time limit, as a call stuck in the kernel would be
                    }
                }
                stuckNow = false;
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            return announced;
        }
    }
}

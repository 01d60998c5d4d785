package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.anycastd.config.toml.TomlConfiguration;
import dev.anycastd.core.prefix.IpPrefix;
import dev.anycastd.core.service.ServiceDefinition;
import dev.anycastd.core.spi.ConfigurationException;
import dev.anycastd.core.spi.Location;
import dev.anycastd.core.spi.Options;
import dev.anycastd.testkit.cabourotte.FakeCabourotte;
import dev.anycastd.testkit.plugin.FileCheckProvider;
import dev.anycastd.testkit.plugin.FilePrefix;
import dev.anycastd.testkit.plugin.FileRoutingProvider;
import dev.anycastd.testkit.plugin.RivalFileRoutingProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

    private static final IpPrefix DNS = IpPrefix.parse("203.0.113.53");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path temp;

    @TempDir
    Path state;

    private final AtomicReference<Termination> termination = new AtomicReference<>();

    @Test
    void theSettingsOfTheConfigurationFileTakeEffectAndPushRequestsAreCountedByOutcome() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        int metricsPort = freePort();
        int pushPort = freePort();
        Path socket = temp.resolve("run/configured.sock");
        try (FakeCabourotte cabourotte = FakeCabourotte.start().healthy("dns")) {
            Path config = writeConfiguration(metricsPort, socket, routes, cabourotte, pushPort);
            CommandLineRun run = runReading(ConfigurationSource.TOML);
            CompletableFuture<Integer> exit = startAnnouncing(run, config, routes);

            String metrics = "http://127.0.0.1:" + metricsPort + "/metrics";
            await().atMost(Duration.ofSeconds(10)).until(() -> MetricsLabTest.value(get(metrics),
                    "anycastd_service_state{service=\"dns\",state=\"announced\"}"), value -> value.equals(Optional.of(1.0)));
            assertThat(socket).as("the control socket is where the file says").exists();
            CommandLineRun status = new CommandLineRun(TestWiring.with((file, providers) -> List.of()));
            assertThat(status.execute("status", "-c", config.toString())).as(status.err()).isZero();
            assertThat(status.out()).contains("dns");

            String push = "http://127.0.0.1:" + pushPort + "/anycastd/cabourotte";
            String body = FakeCabourotte.exporterPushBody("dns", true, "ok", Instant.now());
            assertThat(post(push, "application/json", body)).isEqualTo(204);
            assertThat(post(push, "application/json", body)).isEqualTo(204);
            assertThat(post(push, "text/plain", body)).isEqualTo(415);
            String scraped = get(metrics);
            assertThat(MetricsLabTest.value(scraped, "anycastd_push_requests_total{outcome=\"accepted\"}")).contains(2.0);
            assertThat(MetricsLabTest.value(scraped, "anycastd_push_requests_total{outcome=\"unsupported_type\"}")).contains(1.0);
            assertThat(MetricsLabTest.value(scraped, "anycastd_push_requests_total{outcome=\"unauthorized\"}")).contains(0.0);

            termination.get().signal("SIGTERM");
            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(run.out()).contains("Serving Prometheus metrics on http://127.0.0.1:" + metricsPort + "/metrics.");
        }
    }

    @Test
    void anOptionOverridesTheSettingOfTheConfigurationFile() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        int filePort = freePort();
        int optionPort = freePort();
        Path fileSocket = temp.resolve("run/file.sock");
        Path optionSocket = temp.resolve("run/option.sock");
        try (FakeCabourotte cabourotte = FakeCabourotte.start().healthy("dns")) {
            Path config = writeConfiguration(filePort, fileSocket, routes, cabourotte,
                    freePort());
            CommandLineRun run = runReading(ConfigurationSource.TOML);
            CompletableFuture<Integer> exit = startAnnouncing(run, config, routes, "--metrics-listen", "127.0.0.1:" + optionPort,
                    "--control-socket", optionSocket.toString());

            assertThat(get("http://127.0.0.1:" + optionPort + "/metrics")).contains("anycastd_service_state");
            assertThatThrownBy(() -> get("http://127.0.0.1:" + filePort + "/metrics")).isInstanceOf(java.net.ConnectException.class);
            assertThat(optionSocket).exists();
            assertThat(fileSocket).doesNotExist();

            termination.get().signal("SIGTERM");
            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void aReloadThatChangesASettingAppliesTheServicesAndSaysTheSettingWaitsForARestart() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        int metricsPort = freePort();
        Path socket = temp.resolve("run/control.sock");
        try (FakeCabourotte cabourotte = FakeCabourotte.start().healthy("dns")) {
            int pushPort = freePort();
            Path config = writeConfiguration(metricsPort, socket, routes, cabourotte,
                    pushPort);
            CommandLineRun run = runReading(ConfigurationSource.TOML);
            CompletableFuture<Integer> exit = startAnnouncing(run, config, routes);

            int otherPort = freePort();
            Files.writeString(config, settingsAndService(otherPort, socket, routes, cabourotte, pushPort)
                    .replace("shutdown-timeout = \"7s\"", "shutdown-timeout = \"9s\""));
            CommandLineRun reload = new CommandLineRun(TestWiring.with((file, providers) -> List.of()));

            assertThat(reload.execute("reload", "--control-socket", socket.toString())).as(reload.err()).isZero();
            assertThat(reload.out()).isEqualTo("Reloaded the configuration: unchanged dns.\n"
                    + "Not applied until anycastd restarts: metrics-listen, shutdown-timeout.\n");
            assertThat(reload.execute("reload", "--control-socket", socket.toString(), "--json")).isZero();
            assertThat(reload.out()).contains("\"restart_needed\":[\"metrics-listen\",\"shutdown-timeout\"]");
            assertThat(run.out()).contains("[warning  ] The configuration changes metrics-listen, shutdown-timeout, which take effect"
                    + " when anycastd restarts; until then it keeps running with the settings it started with (metrics-listen = \"127.0.0.1:"
                    + metricsPort + "\"; control-socket = \"" + socket + "\"; shutdown-timeout = \"7s\"); the file now says"
                    + " (metrics-listen = \"127.0.0.1:" + otherPort + "\"; control-socket = \"" + socket + "\"; shutdown-timeout = \"9s\").");
            assertThat(get("http://127.0.0.1:" + metricsPort + "/metrics")).as("still served where it was").contains("anycastd_");
            assertThat(FilePrefix.marker(routes, DNS)).as("the unchanged service stays announced").exists();

            termination.get().signal("SIGTERM");
            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void aMissingConfigurationFileExits66WithOneParagraph() {
        CommandLineRun run = runReading(TomlConfiguration::load);
        Path missing = temp.resolve("nope.toml");

        assertThat(run.execute("run", "-c", missing.toString())).isEqualTo(66);
        assertThat(run.err()).isEqualTo("anycastd: " + missing + ": no such file; create it or give the path of the configuration file"
                + System.lineSeparator());
    }

    @Test
    void aMetricsListenThatIsNotHostAndPortExits64() {
        CommandLineRun run = runReading((file, providers) -> List.of());

        assertThat(run.execute("run", "--metrics-listen", "9108")).isEqualTo(64);
        assertThat(run.err()).contains("\"9108\" is not HOST:PORT; use e.g. \"127.0.0.1:9108\" or \"[::1]:9108\"");
    }

    @Test
    void aMetricsListenAddressInUseExits78BeforeAnythingIsAnnounced() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CommandLineRun run = runReading((file, providers) -> List.of());

            assertThat(run.execute("run", "--metrics-listen", "127.0.0.1:" + taken.getLocalPort())).isEqualTo(78);
            assertThat(run.err()).startsWith("anycastd: --metrics-listen 127.0.0.1:" + taken.getLocalPort() + ": cannot listen there: ")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void aDirectoryAsConfigurationExits74() {
        CommandLineRun run = runReading(TomlConfiguration::load);

        assertThat(run.execute("run", "-c", temp.toString())).isEqualTo(74);
        assertThat(run.err()).startsWith("anycastd: " + temp + ": is a directory").doesNotContain("\tat ");
    }

    @Test
    void invalidTomlExits65NamingTheLine() throws Exception {
        Path config = Files.writeString(temp.resolve("config.toml"), "[services.dns]\nprefixes.frrouting = [\"203.0.113.53\"\n");
        CommandLineRun run = runReading(TomlConfiguration::load);

        assertThat(run.execute("run", "-c", config.toString())).isEqualTo(65);
        assertThat(run.err()).startsWith("anycastd: " + config + ":3:1: invalid TOML: ").doesNotContain("\tat ");
    }

    @Test
    void anInvalidConfigurationExits65AndIndentsEveryProblemUnderTheFirst() {
        CommandLineRun run = runReading((file, providers) -> {
            throw new ConfigurationException(ConfigurationException.Kind.INVALID, List.of(
                    new ConfigurationException.Problem("services.dns.prefixes.frrouting[0]", new Location(file, 3, 1), "bad prefix"),
                    new ConfigurationException.Problem("services.ntp", new Location(file, 7, 1), "no check")));
        });

        assertThat(run.execute("run", "-c", "/x.toml")).isEqualTo(65);
        assertThat(run.err().lines()).containsExactly(
                "anycastd: /x.toml:3:1: services.dns.prefixes.frrouting[0]: bad prefix",
                "  /x.toml:7:1: services.ntp: no check");
    }

    @Test
    void twoPluginsOfOneTypeExit78NamingBothJars() throws Exception {
        Path plugins = temp.resolve("plugins");
        PluginJar.write(plugins.resolve("first.jar"), List.of(FileRoutingProvider.class), List.of());
        PluginJar.write(plugins.resolve("second.jar"), List.of(RivalFileRoutingProvider.class), List.of());
        CommandLineRun run = runReading((file, providers) -> List.of());

        assertThat(run.execute("run", "--plugin-dir", plugins.toString())).isEqualTo(78);
        assertThat(run.err()).contains("prefix type \"file-routing\" is provided twice",
                FileRoutingProvider.class.getName() + " (" + plugins.resolve("first.jar"),
                RivalFileRoutingProvider.class.getName() + " (" + plugins.resolve("second.jar"));
    }

    @Test
    void twoCopiesOfOnePluginExit78NamingBothJars() throws Exception {
        Path plugins = temp.resolve("plugins");
        PluginJar.write(plugins.resolve("fake-1.0.jar"), List.of(FileRoutingProvider.class), List.of());
        PluginJar.write(plugins.resolve("fake-1.1.jar"), List.of(FileRoutingProvider.class), List.of());
        CommandLineRun run = runReading((file, providers) -> List.of());

        assertThat(run.execute("check-config", "--plugin-dir", plugins.toString())).isEqualTo(78);
        assertThat(run.err()).isEqualTo("anycastd: provider " + FileRoutingProvider.class.getName() + " is registered by both "
                + plugins.resolve("fake-1.0.jar") + " and " + plugins.resolve("fake-1.1.jar")
                + "; keep one of them in the plugins directory" + System.lineSeparator());
    }

    @Test
    void aCorruptPluginJarExits78NamingTheFile() throws Exception {
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        Files.writeString(plugins.resolve("broken.jar"), "not a zip");
        CommandLineRun run = runReading((file, providers) -> List.of());

        assertThat(run.execute("run", "--plugin-dir", plugins.toString())).isEqualTo(78);
        assertThat(run.err()).startsWith("anycastd: plugin jar \"" + plugins.resolve("broken.jar") + "\" cannot be read as a jar");
    }

    @Test
    void providersInPluginJarsReachTheConfigurationReader() throws Exception {
        Path plugins = temp.resolve("plugins");
        PluginJar.write(plugins.resolve("fake.jar"), List.of(FileRoutingProvider.class), List.of(FileCheckProvider.class));
        AtomicReference<Object> seen = new AtomicReference<>();
        CommandLineRun run = new CommandLineRun(TestWiring.with((file, providers) -> {
            seen.set(List.of(providers.prefixTypes(), providers.checkTypes()));
            return List.of();
        }));

        run.execute("check-config", "--plugin-dir", plugins.toString());

        assertThat(seen.get()).asString().contains("file-routing", "file-check");
    }

    @Test
    void aPrefixTheRoutingDaemonCannotCarryExits78NamingServiceAndPrefix() {
        Path missing = temp.resolve("no-bgp-here");
        CommandLineRun run = runReading((file, providers) -> List.of(service("dns", missing)));

        assertThat(run.execute("run", "--log-format", "human")).isEqualTo(78);
        assertThat(run.err()).isEqualTo("anycastd: the routing daemon cannot carry a prefix; fix it and start again:\n"
                + "  service \"dns\", prefix 203.0.113.53/32 (file-routing): directory " + missing + " does not exist; create it"
                + System.lineSeparator());
        assertThat(run.out()).doesNotContain("Starting service");
    }

    @Test
    void sigtermWithdrawsEveryPrefixAndExits0() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        CommandLineRun run = runReading((file, providers) -> List.of(service("dns", routes)));

        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> run.execute("run", "-c", "/etc/anycastd/config.toml", "--log-format", "human",
                        "--state-dir", state.toString()));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(FilePrefix.marker(routes, DNS)));
        termination.get().signal("SIGTERM");

        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(FilePrefix.marker(routes, DNS)).doesNotExist();
        assertThat(run.out()).contains(
                "[info     ] Reading configuration from /etc/anycastd/config.toml. config_path=/etc/anycastd/config.toml",
                "[info     ] Starting service \"dns\".",
                "[info     ] Service \"dns\" is now considered healthy, announcing related prefixes.",
                "[info     ] Received SIGTERM, terminating.",
                "[info     ] Service \"dns\" terminated.");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aPrefixThatCannotBeWithdrawnIsNamedAndExits70() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        CommandLineRun run = runReading((file, providers) -> List.of(service("dns", routes)));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run.execute("run", "--log-format", "logfmt",
                "--state-dir", state.toString()));
        Path marker = FilePrefix.marker(routes, DNS);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(marker));

        // A non-empty directory where the fake's file was: deleting it fails, as a vtysh call might.
        Files.delete(marker);
        Files.createDirectories(marker.resolve("stuck"));
        termination.get().signal("SIGINT");

        assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(70);
        assertThat(run.out()).contains("message=\"Received SIGINT, terminating.\"")
                .containsPattern("level=error .*message=\"Terminated, but 1 prefixes may still be announced: dns 203.0.113.53/32 \\(file-routing\\)");
    }

    @Test
    void anInternalFailureWithdrawsEveryPrefixAndExits70() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        CommandLineRun run = runReading((file, providers) -> List.of(service("dns", routes)));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run.execute("run", "--log-format", "json",
                "--state-dir", state.toString()));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(FilePrefix.marker(routes, DNS)));

        termination.get().fail(new IllegalStateException("a scheduler thread died"));

        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(70);
        assertThat(FilePrefix.marker(routes, DNS)).doesNotExist();
        assertThat(run.out()).contains("\"level\":\"error\"",
                "\"message\":\"Unexpected internal error, withdrawing every prefix and terminating: java.lang.IllegalStateException: a scheduler thread died\"",
                "\"exception\":\"java.lang.IllegalStateException: a scheduler thread died");
    }

    @Test
    void logsAreJsonWhenNotOnATerminal() {
        CommandLineRun run = runReading(failing(ConfigurationException.Kind.MISSING_FILE, "file does not exist"));

        run.execute("run", "-c", "/nope.toml");

        assertThat(run.out()).startsWith("{\"timestamp\":\"")
                .contains("\"level\":\"info\",\"logger\":\"dev.anycastd.daemon.RunCommand\","
                        + "\"message\":\"Reading configuration from /nope.toml.\",\"config_path\":\"/nope.toml\"}");
    }

    @Test
    void aShutdownTimeoutThatIsNotADurationExits64NamingTheOption() {
        CommandLineRun run = runReading((file, providers) -> List.of());

        assertThat(run.execute("run", "--shutdown-timeout", "soon")).isEqualTo(64);
        assertThat(run.err()).startsWith("Invalid value for option '--shutdown-timeout': \"soon\" is not a duration; use seconds");
    }

    private Path writeConfiguration(int metricsPort, Path socket, Path routes, FakeCabourotte cabourotte, int pushPort)
            throws IOException {
        return Files.writeString(temp.resolve("config.toml"), settingsAndService(metricsPort, socket, routes, cabourotte, pushPort));
    }

    /** A configuration with every daemon-wide setting and one service whose check Cabourotte also pushes to {@code pushPort}. */
    private static String settingsAndService(int metricsPort, Path socket, Path routes, FakeCabourotte cabourotte, int pushPort) {
        return """
                metrics-listen = "127.0.0.1:%d"
                control-socket = "%s"
                shutdown-timeout = "7s"

                [services.dns]
                prefixes.file-routing = [{ prefix = "203.0.113.53", directory = "%s" }]
                checks.cabourotte = [{ name = "dns", url = "%s", interval = "200ms", push-listen = "127.0.0.1:%d" }]
                """.formatted(metricsPort, socket, routes, cabourotte.url(), pushPort);
    }

    /**
     * Runs the daemon on {@code config}, whose prefixes the fake routing plugin announces into
     * {@code routes}, with {@code options} added, until the service's prefix is announced.
     */
    private CompletableFuture<Integer> startAnnouncing(CommandLineRun run, Path config, Path routes, String... options)
            throws IOException {
        Path plugins = temp.resolve("plugins");
        PluginJar.write(plugins.resolve("fake.jar"), List.of(FileRoutingProvider.class), List.of());
        List<String> arguments = new ArrayList<>(List.of("run", "-c", config.toString(), "--plugin-dir", plugins.toString(),
                "--log-format", "human", "--state-dir", state.toString()));
        arguments.addAll(List.of(options));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run.execute(arguments.toArray(String[]::new)));
        await().atMost(Duration.ofSeconds(10)).until(() -> exit.isDone() || Files.exists(FilePrefix.marker(routes, DNS)));
        assertThat(exit).as(run.out() + run.err()).isNotDone();
        return exit;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static int post(String url, String type, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private CommandLineRun runReading(ConfigurationSource source) {
        return new CommandLineRun(TestWiring.with(source, termination));
    }

    private static ConfigurationSource failing(ConfigurationException.Kind kind, String message) {
        return (file, providers) -> {
            throw new ConfigurationException(kind, List.of(new ConfigurationException.Problem("", new Location(file, 0, 0), message)));
        };
    }

    /** A service whose prefix is announced into {@code routes} and whose check is always healthy. */
    static ServiceDefinition service(String name, Path routes) throws ConfigurationException {
        Path healthy = routes.resolveSibling("healthy");
        try {
            Files.writeString(healthy, "");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new ServiceDefinition(name, List.of(new FilePrefix(DNS, routes)), List.of(new FileCheckProvider().create(
                Options.of("services." + name + ".checks.file-check[0]",
                        Map.of("name", name, "file", healthy.toString(), "interval", "100ms", "timeout", "2s")))));
    }
}

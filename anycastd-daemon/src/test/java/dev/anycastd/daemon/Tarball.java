package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The tarball {@code package} built (system property {@code anycastd.tarball}), unpacked as an operator would. */
final class Tarball {

    private Tarball() {
    }

    /** Unpacks the tarball into {@code directory} and answers the installation's home (holding {@code bin/anycastd}). */
    static Path unpack(Path directory) throws Exception {
        Path tarball = Path.of(System.getProperty("anycastd.tarball"));
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", directory.toString()).inheritIO().start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).isZero();
        return directory.resolve("anycastd-" + System.getProperty("anycastd.version"));
    }
}

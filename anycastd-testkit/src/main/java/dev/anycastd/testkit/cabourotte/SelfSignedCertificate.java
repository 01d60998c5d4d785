package dev.anycastd.testkit.cabourotte;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A throwaway self-signed certificate for {@code 127.0.0.1} and {@code localhost}, made with the
 * JDK's {@code keytool} in a directory the test owns: the key for a test server
 * ({@link #serverContext()}, e.g. for {@link FakeCabourotte#startHttps}) and the certificate as
 * a PEM file a client can trust ({@link #pemFile()}). For tests only: the key is not protected.
 */
public final class SelfSignedCertificate {

    private static final String PASSWORD = "throwaway";

    private final Path keyStore;
    private final Path pemFile;

    private SelfSignedCertificate(Path keyStore, Path pemFile) {
        this.keyStore = keyStore;
        this.pemFile = pemFile;
    }

    /**
     * Generates a new key and certificate in {@code directory} ({@code server.p12} and
     * {@code ca.pem}).
     *
     * @throws IllegalStateException if keytool fails, with its output
     */
    public static SelfSignedCertificate generate(Path directory) {
        Path keyStore = directory.resolve("server.p12");
        Path pemFile = directory.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-file", pemFile.toString());
        return new SelfSignedCertificate(keyStore, pemFile);
    }

    /** The certificate in PEM, for a client's trust store (anycastd's {@code ca-file}). */
    public Path pemFile() {
        return pemFile;
    }

    /** A TLS context that presents this certificate, for a test server. */
    public SSLContext serverContext() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the generated key from " + keyStore, e);
        }
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within 60 s: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool exited " + process.exitValue() + ": " + command + "\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}

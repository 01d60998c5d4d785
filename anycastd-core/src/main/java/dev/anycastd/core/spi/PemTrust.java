package dev.anycastd.core.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS trust an operator gives with a {@code ca-file} option: the PEM certificates in one
 * file, and nothing else, for adapters that speak https to a server whose certificate a private
 * CA signed. One place for every adapter, so that the option reads and fails the same way in
 * each.
 */
public final class PemTrust {

    private PemTrust() {
    }

    /**
     * A TLS context that trusts exactly the certificates in {@code caFile}.
     *
     * @param options the options that name the file, for errors
     * @param key the option that names it, e.g. {@code ca-file}
     * @param caFile the PEM file
     * @throws ConfigurationException naming {@code key} when the file cannot be read or holds no certificate
     */
    public static SSLContext read(Options options, String key, Path caFile) throws ConfigurationException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw options.error(key, "cannot read " + Options.quote(caFile.toString()) + " (" + e.getClass().getSimpleName()
                    + "); make it readable by the user anycastd runs as");
        } catch (GeneralSecurityException e) {
            throw options.error(key, Options.quote(caFile.toString()) + " does not hold PEM certificates (" + e.getMessage()
                    + "); give the CA certificate that signed the server's, in PEM");
        }
        if (certificates.isEmpty()) {
            throw options.error(key, Options.quote(caFile.toString()) + " holds no certificate; give the CA certificate that "
                    + "signed the server's, in PEM");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot build a TLS context from " + caFile + ": " + e, e);
        }
    }
}

package io.streamback.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The streams URL's {@code ca_file=}: PEM certificates of the authorities that TLS connections to
 * Kafka ({@code kafkas://}) and Redis ({@code rediss://}) trust instead of the JVM's default ones.
 */
public record CaFile(Path path) {

    /**
     * The file at {@code path}, checked to hold at least one PEM certificate.
     *
     * @throws IllegalArgumentException saying why the file can't be used
     */
    public static CaFile read(Path path) {
        CaFile file = new CaFile(path);
        file.certificates();
        return file;
    }

    /** The certificates in the file. */
    public List<Certificate> certificates() {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException("'" + path + "' is not a readable file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("'" + path + "' holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)");
            }
            return List.copyOf(certificates);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("'" + path + "' holds no valid PEM certificate: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("'" + path + "' can't be read: " + e.getMessage(), e);
        }
    }

    /** A TLS context that trusts exactly these certificates (and verifies host names when given to a socket). */
    public SSLContext sslContext() {
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            List<Certificate> certificates = certificates();
            for (int i = 0; i < certificates.size(); i++) {
                trusted.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Could not set up TLS trusting " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}

package io.streamback.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A test certificate authority and a server certificate it signed for {@code localhost} and
 * {@code 127.0.0.1}, in the forms TLS servers and clients want: PKCS12 key and trust stores (Kafka,
 * Java clients) and PEM files (Redis, {@code ca_file=} of a streams URL).
 *
 * <p>Made with the JDK's own {@code keytool}, so nothing else is needed. Generating takes a second
 * or two; {@link #shared()} makes one set per JVM. The keys are for tests only.
 */
public final class TestCertificates {

    private static final String PASSWORD = "streamback-test";
    private static final String SUBJECT_NAMES = "SAN=dns:localhost,ip:127.0.0.1";
    private static final String VALIDITY_DAYS = "3650";
    private static TestCertificates shared;

    private final Path dir;
    private final X509Certificate ca;

    private TestCertificates(Path dir, X509Certificate ca) {
        this.dir = dir;
        this.ca = ca;
    }

    /** One set per JVM, in a temporary directory deleted when the JVM exits. */
    public static synchronized TestCertificates shared() {
        if (shared == null) {
            Path dir = Support.createTempDirectory("streamback-certs-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Support.deleteRecursively(dir), "certs-cleanup"));
            shared = generate(dir);
        }
        return shared;
    }

    /** Generates a new authority and server certificate into {@code dir} (created if need be). */
    public static TestCertificates generate(Path dir) {
        try {
            Files.createDirectories(dir);
            // keytool signs the server's certificate with the authority's key as it generates the pair,
            // when both live in one store: two runs in all.
            Path generated = dir.resolve("generated.p12");
            Files.deleteIfExists(generated);
            keytool(dir, "-alias", "ca", "-dname", "CN=Streamback test CA", "-ext", "bc:c", "-keystore", generated.toString());
            keytool(dir, "-alias", "server", "-dname", "CN=localhost", "-ext", SUBJECT_NAMES,
                    "-signer", "ca", "-signerkeypass", PASSWORD, "-keystore", generated.toString());

            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(generated)) {
                store.load(in, PASSWORD.toCharArray());
            }
            X509Certificate ca = (X509Certificate) store.getCertificate("ca");
            X509Certificate server = (X509Certificate) store.getCertificate("server");
            PrivateKey key = (PrivateKey) store.getKey("server", PASSWORD.toCharArray());
            Files.delete(generated);

            TestCertificates certificates = new TestCertificates(dir, ca);
            writePem(certificates.caCertificate(), "CERTIFICATE", ca.getEncoded());
            writePem(certificates.serverCertificate(), "CERTIFICATE", server.getEncoded());
            writePem(certificates.serverKey(), "PRIVATE KEY", key.getEncoded());
            KeyStore keyStore = emptyStore();
            keyStore.setKeyEntry("server", key, PASSWORD.toCharArray(), new Certificate[] {server, ca});
            store(keyStore, certificates.keyStore());
            KeyStore trustStore = emptyStore();
            trustStore.setCertificateEntry("ca", ca);
            store(trustStore, certificates.trustStore());
            return certificates;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write test certificates to " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not generate test certificates in " + dir, e);
        }
    }

    /** The authority's certificate, PEM: what clients trust (a streams URL's {@code ca_file=}). */
    public Path caCertificate() {
        return dir.resolve("ca.pem");
    }

    /** The server's certificate for {@code localhost} and {@code 127.0.0.1}, PEM. */
    public Path serverCertificate() {
        return dir.resolve("server.pem");
    }

    /** The server's private key, unencrypted PKCS#8 PEM. */
    public Path serverKey() {
        return dir.resolve("server.key");
    }

    /** PKCS12 store with the server's key and certificate chain, protected by {@link #password()}. */
    public Path keyStore() {
        return dir.resolve("keystore.p12");
    }

    /** PKCS12 store with the authority's certificate, protected by {@link #password()}. */
    public Path trustStore() {
        return dir.resolve("truststore.p12");
    }

    /** The password of both stores and of the key in the key store. */
    public String password() {
        return PASSWORD;
    }

    /** A client TLS context that trusts this authority only. */
    public SSLContext sslContext() {
        try {
            KeyStore trusted = emptyStore();
            trusted.setCertificateEntry("ca", ca);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Could not set up TLS trusting " + caCertificate(), e);
        }
    }

    /** Runs {@code keytool -genkeypair} with the given options and waits for it. */
    private static void keytool(Path dir, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                // keytool is a short-lived JVM: the quick JIT halves its run time.
                "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC",
                "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", VALIDITY_DAYS,
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running keytool", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed with exit code " + process.exitValue() + ": " + output);
        }
    }

    private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static void store(KeyStore store, Path file) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
    }

    private static void writePem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n",
                StandardCharsets.US_ASCII);
    }
}

package io.streamback.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCertificatesTest {

    @Test
    void aServerCertificateForLocalhostSignedByTheAuthorityInEveryForm(@TempDir Path dir) throws Exception {
        long start = System.nanoTime();
        TestCertificates certificates = TestCertificates.generate(dir);
        System.out.printf("Test certificates generated in %.1f s%n", (System.nanoTime() - start) / 1e9);

        X509Certificate ca = pemCertificate(certificates.caCertificate());
        X509Certificate server = pemCertificate(certificates.serverCertificate());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(server.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        server.verify(ca.getPublicKey());
        assertThat(server.getSubjectAlternativeNames())
                .contains(List.of(2, "localhost"), List.of(7, "127.0.0.1"));

        // The PEM key is the server certificate's: what it signs, the certificate's key verifies.
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pemBody(certificates.serverKey())));
        assertThat(signs(key, server)).isTrue();

        KeyStore keyStore = pkcs12(certificates.keyStore(), certificates.password());
        assertThat(keyStore.getCertificateChain("server")).containsExactly(server, ca);
        assertThat(keyStore.getKey("server", certificates.password().toCharArray())).isEqualTo(key);
        assertThat(pkcs12(certificates.trustStore(), certificates.password()).getCertificate("ca")).isEqualTo(ca);
    }

    @Test
    void sharedIsGeneratedOncePerJvm() {
        assertThat(TestCertificates.shared()).isSameAs(TestCertificates.shared());
        assertThat(TestCertificates.shared().caCertificate()).exists();
    }

    private static boolean signs(PrivateKey key, X509Certificate certificate) throws Exception {
        byte[] data = "streamback".getBytes();
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(data);
        return verifier.verify(signature);
    }

    private static X509Certificate pemCertificate(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static byte[] pemBody(Path file) throws Exception {
        String pem = Files.readString(file);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }

    private static KeyStore pkcs12(Path file, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }
}

package io.streamback.internal.kafka;

import io.streamback.config.HostPort;
import io.streamback.config.KafkaEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Asks a Kafka listener, without credentials, whether it demands SASL: one SaslHandshake request
 * (API key 17, version 1), which a SASL listener answers with its mechanisms and any other listener
 * with ILLEGAL_SASL_STATE. Kafka's client, reaching a SASL listener without credentials, or a TLS
 * listener in plaintext, only sees the connection closed and retries until its timeout; this says
 * at once what is missing.
 */
final class ListenerProbe {
    private static final short SASL_HANDSHAKE = 17;
    private static final short VERSION = 1;
    private static final short NONE = 0;
    private static final short UNSUPPORTED_SASL_MECHANISM = 33;
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;
    private static final int CORRELATION_ID = 0x5b_0001;
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(1);

    private ListenerProbe() {
    }

    /**
     * What the endpoint lacks for the first bootstrap server that answers: credentials for a SASL
     * listener, or TLS for a listener that closes on plaintext. Empty when nothing is missing, or
     * when no server could tell (unreachable, TLS not trusted: Kafka's client names those itself).
     */
    static Optional<String> missingSecurity(KafkaEndpoint endpoint, Duration timeout) {
        for (HostPort server : endpoint.servers()) {
            try {
                return missingSecurity(endpoint, server, timeout);
            } catch (SSLException e) {
                return Optional.empty();
            } catch (IOException e) {
                // Not reachable, or not Kafka: the next server may tell.
            }
        }
        return Optional.empty();
    }

    private static Optional<String> missingSecurity(KafkaEndpoint endpoint, HostPort server, Duration timeout)
            throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (Socket socket = open(endpoint, server, millis)) {
            // A Kafka listener answers at once; what keeps the request waiting can't tell.
            socket.setSoTimeout((int) Math.min(millis, ANSWER_TIMEOUT.toMillis()));
            new DataOutputStream(socket.getOutputStream()).write(handshakeRequest(endpoint));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int size;
            try {
                size = in.readInt();
            } catch (EOFException | SocketTimeoutException noAnswer) {
                return Optional.empty();
            }
            if (isTlsRecord(size)) {
                // A TLS listener takes the request for a broken TLS record, and says so in TLS.
                return endpoint.tls() ? Optional.empty() : Optional.of("TLS missing: " + server + " answers TLS, "
                        + "not plaintext; write main=kafkas://... (and ca_file=... unless the JVM trusts its certificate)");
            }
            if (size < 10 || size > MAX_RESPONSE_BYTES || in.readInt() != CORRELATION_ID) {
                throw new IOException("not a Kafka answer");
            }
            short error = in.readShort();
            if ((error != NONE && error != UNSUPPORTED_SASL_MECHANISM) || endpoint.sasl().isPresent()) {
                return Optional.empty();
            }
            return Optional.of("authentication missing: " + server + " demands SASL authentication (it offers "
                    + String.join(", ", mechanisms(in)) + ") but the streams URL gives no credentials;"
                    + " write main=" + (endpoint.tls() ? "kafkas" : "kafka") + "://USER:PASSWORD@HOST:PORT,"
                    + " with &sasl_mechanism=... for SCRAM");
        }
    }

    /** Whether an answer's first four bytes start a TLS record: an alert or a handshake, TLS 1.x. */
    private static boolean isTlsRecord(int firstBytes) {
        int contentType = firstBytes >>> 24;
        int majorVersion = (firstBytes >>> 16) & 0xff;
        return (contentType == 0x15 || contentType == 0x16) && majorVersion == 0x03;
    }

    private static Socket open(KafkaEndpoint endpoint, HostPort server, int millis) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(server.host(), server.port()), millis);
            if (!endpoint.tls()) {
                return plain;
            }
            SSLContext context = endpoint.caFile().isPresent() ? endpoint.caFile().get().sslContext() : SSLContext.getDefault();
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, server.host(), server.port(), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(millis);
            tls.startHandshake();
            return tls;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            plain.close();
            if (e instanceof IOException io) {
                throw io;
            }
            throw new SSLException("TLS could not be set up", e);
        }
    }

    private static byte[] handshakeRequest(KafkaEndpoint endpoint) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        out.writeShort(SASL_HANDSHAKE);
        out.writeShort(VERSION);
        out.writeInt(CORRELATION_ID);
        writeString(out, "streamback-probe");
        writeString(out, endpoint.saslMechanism().kafkaName());
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        DataOutputStream frame = new DataOutputStream(framed);
        frame.writeInt(body.size());
        body.writeTo(frame);
        return framed.toByteArray();
    }

    private static List<String> mechanisms(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > 32) {
            throw new IOException("not a Kafka answer");
        }
        List<String> mechanisms = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] name = new byte[in.readUnsignedShort()];
            in.readFully(name);
            mechanisms.add(new String(name, StandardCharsets.UTF_8));
        }
        return mechanisms;
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeShort(bytes.length);
        out.write(bytes);
    }
}

package io.streamback.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One command to a plain-text Redis (or sentinel) on the loopback interface, and its reply: what
 * the testkit needs to wire up sentinels and clusters without putting a Redis client on the
 * classpath of everyone who depends on it. Replies are a String (simple or bulk), a Long, a
 * List of replies, or null; an error reply throws.
 */
final class Resp {
    private static final int TIMEOUT_MILLIS = 5_000;

    private Resp() {
    }

    static Object call(int port, String... command) {
        return call(port, Optional.empty(), command);
    }

    /** Authenticates with {@code password} (the default user's), when given, then sends {@code command}. */
    static Object call(int port, Optional<String> password, String... command) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            if (password.isPresent()) {
                send(out, "AUTH", password.get());
                reply(in, port, "AUTH");
            }
            send(out, command);
            return reply(in, port, command[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("Redis on 127.0.0.1:" + port + " did not answer " + command[0], e);
        }
    }

    private static void send(OutputStream out, String... command) throws IOException {
        StringBuilder request = new StringBuilder("*").append(command.length).append("\r\n");
        for (String part : command) {
            request.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part).append("\r\n");
        }
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static Object reply(InputStream in, int port, String command) throws IOException {
        int type = in.read();
        String line = line(in);
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new IllegalStateException("Redis on 127.0.0.1:" + port + " refused " + command + ": " + line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield null;
                }
                String bulk = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                in.readNBytes(2);
                yield bulk;
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    yield null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(reply(in, port, command));
                }
                yield items;
            }
            default -> throw new IOException("Unexpected reply type " + type + " from 127.0.0.1:" + port);
        };
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("Connection closed mid-reply");
            }
            bytes.write(c);
        }
        in.read();
        return bytes.toString(StandardCharsets.UTF_8);
    }
}

package io.streamback.config;

/** One {@code host:port} of a streams URL. */
public record HostPort(String host, int port) {
    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}

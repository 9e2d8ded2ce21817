package io.streamback.operator;

import io.streamback.internal.config.InvalidConfigurationException;
import io.streamback.internal.config.WorkerEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The operator's configuration, read from environment variables.
 *
 * <table>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>STREAMBACK_WORKER_IMAGE</td><td>none</td><td>worker image for resources that name none</td></tr>
 *   <tr><td>STREAMBACK_OPERATOR_NAMESPACES</td><td>all</td><td>comma-separated namespaces to watch; empty or * for all</td></tr>
 *   <tr><td>STREAMBACK_OPERATOR_LEADER_ELECTION</td><td>false</td><td>true to run several replicas, one active, through a Lease</td></tr>
 *   <tr><td>STREAMBACK_OPERATOR_LEASE_NAME</td><td>streamback-operator</td><td>the Lease's name</td></tr>
 *   <tr><td>STREAMBACK_OPERATOR_LEASE_NAMESPACE</td><td>POD_NAMESPACE, else the pod's own</td><td>the Lease's namespace</td></tr>
 *   <tr><td>POD_NAME</td><td>HOSTNAME</td><td>this replica's identity in the Lease</td></tr>
 *   <tr><td>STREAMBACK_OPERATOR_HTTP_PORT</td><td>8080</td><td>port of /healthz, /readyz and /metrics</td></tr>
 *   <tr><td>STREAMBACK_OPERATOR_HTTP_ADDRESS</td><td>every interface</td><td>the local address that port listens on</td></tr>
 *   <tr><td>STREAMBACK_OPERATOR_SHUTDOWN_TIMEOUT_SECONDS</td><td>30</td><td>how long a stop waits for reconciliations in flight</td></tr>
 *   <tr><td>STREAMBACK_OPERATOR_RECONCILE_THREADS</td><td>20</td><td>reconciliations run at once</td></tr>
 * </table>
 *
 * @param workerImage      default worker image; empty if none
 * @param namespaces       namespaces to watch; empty for all
 * @param leaderElection   whether to take a Lease before reconciling
 * @param leaseName        the Lease's name
 * @param leaseNamespace   the Lease's namespace; empty to use the client's namespace
 * @param identity         this replica's name in the Lease
 * @param exitOnLeaseLoss  whether to exit when the Lease is lost (true in production: another replica took over)
 * @param leaseDuration    how long a Lease holds without renewal (15 s); renewal deadline and retries scale with it
 * @param httpPort         port of the health and metrics endpoints; 0 for any free port
 * @param httpAddress      the local address they listen on; empty for every interface
 * @param shutdownTimeout  how long stopping waits for reconciliations in flight
 * @param reconcileThreads reconciliations run at once
 */
public record OperatorConfig(Optional<String> workerImage, Set<String> namespaces, boolean leaderElection,
                             String leaseName, Optional<String> leaseNamespace, String identity,
                             boolean exitOnLeaseLoss, Duration leaseDuration, int httpPort,
                             Optional<InetAddress> httpAddress, Duration shutdownTimeout, int reconcileThreads) {

    public static final String WORKER_IMAGE = "STREAMBACK_WORKER_IMAGE";
    public static final String NAMESPACES = "STREAMBACK_OPERATOR_NAMESPACES";
    public static final String LEADER_ELECTION = "STREAMBACK_OPERATOR_LEADER_ELECTION";
    public static final String LEASE_NAME = "STREAMBACK_OPERATOR_LEASE_NAME";
    public static final String LEASE_NAMESPACE = "STREAMBACK_OPERATOR_LEASE_NAMESPACE";
    public static final String HTTP_PORT = "STREAMBACK_OPERATOR_HTTP_PORT";
    public static final String HTTP_ADDRESS = "STREAMBACK_OPERATOR_HTTP_ADDRESS";
    public static final String SHUTDOWN_TIMEOUT_SECONDS = "STREAMBACK_OPERATOR_SHUTDOWN_TIMEOUT_SECONDS";
    public static final String RECONCILE_THREADS = "STREAMBACK_OPERATOR_RECONCILE_THREADS";

    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);

    private static final Path SERVICE_ACCOUNT_NAMESPACE =
            Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    /** A configuration for tests and embedding: all namespaces, no leader election, any free port. */
    public static OperatorConfig defaults(String workerImage) {
        return new OperatorConfig(Optional.ofNullable(workerImage), Set.of(), false, "streamback-operator",
                Optional.empty(), "streamback-operator-" + UUID.randomUUID(), true, DEFAULT_LEASE_DURATION, 0,
                Optional.empty(), Duration.ofSeconds(30), 20);
    }

    /**
     * Reads the configuration.
     *
     * @throws IllegalArgumentException naming the variable whose value is wrong
     */
    public static OperatorConfig fromEnvironment(Map<String, String> env) {
        return new OperatorConfig(
                text(env, WORKER_IMAGE),
                text(env, NAMESPACES).filter(v -> !v.equals("*")).map(OperatorConfig::list).orElse(Set.of()),
                bool(env, LEADER_ELECTION),
                text(env, LEASE_NAME).orElse("streamback-operator"),
                text(env, LEASE_NAMESPACE).or(() -> text(env, "POD_NAMESPACE")).or(OperatorConfig::ownNamespace),
                text(env, "POD_NAME").or(() -> text(env, "HOSTNAME"))
                        .orElse("streamback-operator-" + UUID.randomUUID()),
                true,
                DEFAULT_LEASE_DURATION,
                (int) number(env, HTTP_PORT, 8080, 0, 65535),
                text(env, HTTP_ADDRESS).map(OperatorConfig::localAddress),
                Duration.ofSeconds(number(env, SHUTDOWN_TIMEOUT_SECONDS, 30, 1, 3600)),
                (int) number(env, RECONCILE_THREADS, 20, 1, 500));
    }

    public OperatorConfig withNamespaces(Set<String> namespaces) {
        return new OperatorConfig(workerImage, namespaces, leaderElection, leaseName, leaseNamespace, identity,
                exitOnLeaseLoss, leaseDuration, httpPort, httpAddress, shutdownTimeout, reconcileThreads);
    }

    /** Leader election through the Lease {@code leaseNamespace/leaseName}, as {@code identity}. */
    public OperatorConfig withLeaderElection(String leaseNamespace, String identity, boolean exitOnLeaseLoss,
                                             Duration leaseDuration) {
        return new OperatorConfig(workerImage, namespaces, true, leaseName, Optional.of(leaseNamespace), identity,
                exitOnLeaseLoss, leaseDuration, httpPort, httpAddress, shutdownTimeout, reconcileThreads);
    }

    /** The worker's own rule for a bind address: an address of this host, named in the error otherwise. */
    private static InetAddress localAddress(String value) {
        try {
            return WorkerEnvironment.localAddress(HTTP_ADDRESS, value);
        } catch (InvalidConfigurationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Set<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(v -> !v.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    private static Optional<String> ownNamespace() {
        try {
            return Files.exists(SERVICE_ACCOUNT_NAMESPACE)
                    ? Optional.of(Files.readString(SERVICE_ACCOUNT_NAMESPACE).strip()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> text(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static boolean bool(Map<String, String> env, String name) {
        Optional<String> value = text(env, name);
        if (value.isEmpty()) {
            return false;
        }
        return switch (value.get().toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + "='" + value.get() + "' is not true or false");
        };
    }

    private static long number(Map<String, String> env, String name, long fallback, long min, long max) {
        Optional<String> value = text(env, name);
        if (value.isEmpty()) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.get());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "='" + value.get() + "' is not a whole number");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(name + "=" + parsed + " is out of range " + min + "-" + max);
        }
        return parsed;
    }
}

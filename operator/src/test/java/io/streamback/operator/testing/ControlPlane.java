package io.streamback.operator.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Kubernetes control plane for the operator's tests: etcd, kube-apiserver and
 * kube-controller-manager, started as child processes on 127.0.0.1 with free ports, once per test
 * JVM, and stopped (with their temporary directory deleted) when the JVM exits.
 *
 * <p>The binaries are the ones {@code .ci/control-plane} builds into
 * {@code ${KUBE_API_TEST_DIR:-~/.kubeapitest}/k8s/1.37.2-linux-amd64}. No kubelet and no
 * scheduler run: pods stay Pending unless a test plays the kubelet ({@link Cluster#reportReady}).
 * The controller manager runs the controllers the operator's objects rely on: Deployments and
 * their ReplicaSets, CronJobs and Jobs, garbage collection, namespaces, service accounts, and the
 * HorizontalPodAutoscaler's.
 */
public final class ControlPlane {

    public static final String KUBERNETES_VERSION = "1.37.2";
    /** The API server's static admin token, in group system:masters. Only ever on loopback. */
    private static final String ADMIN_TOKEN = UUID.randomUUID().toString();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String CONTROLLERS = String.join(",", "deployment-controller", "replicaset-controller",
            "garbage-collector-controller", "namespace-controller", "serviceaccount-controller",
            "job-controller", "cronjob-controller", "horizontal-pod-autoscaler-controller",
            // For a node (.ci/node): kube-root-ca.crt in every namespace, the CA its pods trust the API server
            // by; and the node's taints following its conditions (the not-ready taint lifted once Ready).
            "root-ca-certificate-publisher-controller", "node-lifecycle-controller");

    private static ControlPlane running;

    private final Path dir;
    /** By name, in the order started. */
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Path binaries;
    private int apiPort;

    private ControlPlane(Path binaries) throws IOException {
        this.binaries = binaries;
        this.dir = Files.createTempDirectory("streamback-control-plane");
    }

    /** The JVM's control plane, started on first use. */
    public static synchronized ControlPlane get() {
        if (running == null) {
            ControlPlane plane;
            try {
                plane = new ControlPlane(binaries());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(plane::stop, "control-plane-stop"));
            try {
                plane.start();
            } catch (IOException | RuntimeException e) {
                String logs = plane.logTails();
                plane.stop();
                throw new IllegalStateException("cannot start the control plane: " + e.getMessage() + logs, e);
            }
            running = plane;
        }
        return running;
    }

    /** Where {@code .ci/control-plane} put the binaries; fails naming the script when they are missing. */
    static Path binaries() {
        String root = System.getenv("KUBE_API_TEST_DIR");
        Path base = root == null || root.isBlank() ? Path.of(System.getProperty("user.home"), ".kubeapitest")
                : Path.of(root);
        Path bin = base.resolve("k8s").resolve(KUBERNETES_VERSION + "-linux-amd64");
        for (String binary : List.of("etcd", "kube-apiserver", "kube-controller-manager")) {
            if (!Files.isExecutable(bin.resolve(binary))) {
                throw new IllegalStateException("no " + binary + " in " + bin
                        + ": build the control plane first with .ci/control-plane (needs Go on the PATH)");
            }
        }
        return bin;
    }

    private void start() throws IOException {
        KeyPair serviceAccountKeys = rsaKeyPair();
        Path signingKey = write("sa.key", pem("PRIVATE KEY", serviceAccountKeys.getPrivate().getEncoded()));
        Path verifyingKey = write("sa.pub", pem("PUBLIC KEY", serviceAccountKeys.getPublic().getEncoded()));
        Path tokens = write("tokens.csv", ADMIN_TOKEN + ",streamback-test-admin,streamback-test-admin,system:masters\n");

        int etcdPort = freePort();
        int etcdPeerPort = freePort();
        launch("etcd", List.of(binaries.resolve("etcd").toString(),
                "--name", "default",
                "--data-dir", dir.resolve("etcd").toString(),
                "--listen-client-urls", "http://127.0.0.1:" + etcdPort,
                "--advertise-client-urls", "http://127.0.0.1:" + etcdPort,
                "--listen-peer-urls", "http://127.0.0.1:" + etcdPeerPort,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + etcdPeerPort,
                "--initial-cluster", "default=http://127.0.0.1:" + etcdPeerPort,
                // Test data: durability across a power cut is not needed, speed is.
                "--unsafe-no-fsync"));
        awaitHttp(URI.create("http://127.0.0.1:" + etcdPort + "/health"), "etcd");

        apiPort = freePort();
        launch("kube-apiserver", List.of(binaries.resolve("kube-apiserver").toString(),
                "--etcd-servers", "http://127.0.0.1:" + etcdPort,
                "--bind-address", "127.0.0.1",
                // Without a default route the API server finds no address of its own to advertise.
                "--advertise-address", "127.0.0.1",
                "--endpoint-reconciler-type", "none",
                "--secure-port", String.valueOf(apiPort),
                "--cert-dir", dir.resolve("certs").toString(),
                "--token-auth-file", tokens.toString(),
                "--authorization-mode", "RBAC",
                "--service-account-issuer", "https://kubernetes.default.svc",
                "--service-account-key-file", verifyingKey.toString(),
                "--service-account-signing-key-file", signingKey.toString(),
                "--service-cluster-ip-range", "10.96.0.0/24",
                // A node named localhost (.ci/node) is reached by that name: kubectl logs and exec.
                "--kubelet-preferred-address-types", "Hostname,InternalIP"));
        awaitReady();

        Path kubeconfig = write("kubeconfig", kubeconfig());
        launch("kube-controller-manager", List.of(binaries.resolve("kube-controller-manager").toString(),
                "--kubeconfig", kubeconfig.toString(),
                "--bind-address", "127.0.0.1",
                "--secure-port", "0",
                "--leader-elect=false",
                "--controllers", CONTROLLERS,
                "--root-ca-file", servingCertificate().toString(),
                "--service-account-private-key-file", signingKey.toString()));
    }

    private void launch(String name, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
        processes.put(name, process);
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitHttp(URI uri, String what) throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (true) {
            checkAlive();
            try {
                HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
                connection.setConnectTimeout(1_000);
                connection.setReadTimeout(1_000);
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Still starting.
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IOException(what + " did not answer " + uri + " within " + START_TIMEOUT);
            }
            pause();
        }
    }

    /** Waits for the API server's /readyz: its own bootstrap (RBAC roles, priority levels) is done. */
    private void awaitReady() throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (true) {
            checkAlive();
            if (Files.exists(dir.resolve("certs").resolve("apiserver.crt"))) {
                try (KubernetesClient client = adminClient()) {
                    String ready = client.raw("/readyz");
                    if ("ok".equals(ready)) {
                        return;
                    }
                } catch (RuntimeException notYet) {
                    // Still starting.
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("kube-apiserver was not ready within " + START_TIMEOUT);
            }
            pause();
        }
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the control plane starts", e);
        }
    }

    /** The last lines each process logged, for an error message. */
    private String logTails() {
        StringBuilder tails = new StringBuilder();
        for (String name : List.of("etcd", "kube-apiserver", "kube-controller-manager")) {
            Path log = dir.resolve(name + ".log");
            try {
                List<String> lines = Files.readAllLines(log);
                tails.append("\n--- ").append(name).append(" (last lines) ---\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            } catch (IOException notStarted) {
                // That process was not started.
            }
        }
        return tails.toString();
    }

    private void checkAlive() throws IOException {
        for (Map.Entry<String, Process> process : processes.entrySet()) {
            if (!process.getValue().isAlive()) {
                throw new IOException(process.getKey() + " exited with " + process.getValue().exitValue());
            }
        }
    }

    public String url() {
        return "https://127.0.0.1:" + apiPort;
    }

    /** The self-signed certificate the API server serves, to trust. */
    public Path servingCertificate() {
        return dir.resolve("certs").resolve("apiserver.crt");
    }

    /** A client configuration authenticated as a cluster admin. */
    public Config adminConfig() {
        return configFor(ADMIN_TOKEN);
    }

    /** A client configuration authenticated with {@code token}, e.g. a ServiceAccount's. */
    public Config configFor(String token) {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withCaCertFile(servingCertificate().toString())
                .withOauthToken(token)
                .build();
    }

    public KubernetesClient adminClient() {
        return new KubernetesClientBuilder().withConfig(adminConfig()).build();
    }

    private String kubeconfig() {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: %s
                    certificate-authority: %s
                users:
                - name: admin
                  user:
                    token: %s
                contexts:
                - name: test
                  context:
                    cluster: test
                    user: admin
                current-context: test
                """.formatted(url(), servingCertificate(), ADMIN_TOKEN);
    }

    /** Writes a kubeconfig for {@code kubectl}, as the admin. */
    public Path writeKubeconfig() {
        try {
            return write("kubeconfig", kubeconfig());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path kubectl() {
        return binaries.resolve("kubectl");
    }

    /** Stops the processes, newest first (the controller manager before the API server before etcd), and deletes the directory. */
    private void stop() {
        List<Process> newestFirst = new ArrayList<>(processes.values());
        Collections.reverse(newestFirst);
        for (Process process : newestFirst) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Best effort: the directory is under the system's temporary directory.
        }
    }
}

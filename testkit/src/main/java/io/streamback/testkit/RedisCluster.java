package io.streamback.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A Redis Cluster of three primaries on loopback ports, each {@code redis-server} process
 * holding a third of the 16,384 slots, without replicas. A node {@linkplain RedisServer#restart()
 * restarted} keeps its slots (its {@code nodes.conf} stays in its directory) but not its data. The
 * cluster keeps serving the other nodes' slots while one is down
 * ({@code cluster-require-full-coverage no}). Without passwords or TLS; processes mode only.
 */
public final class RedisCluster implements AutoCloseable {
    private static final int SLOTS = 16_384;
    private static final int NODES = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisServer> nodes = new ArrayList<>();

    private RedisCluster() {
    }

    /** Starts the three nodes, gives each its slots, joins them, and returns once every node says the cluster is ok. */
    public static RedisCluster start() {
        RedisCluster cluster = new RedisCluster();
        try {
            for (int i = 0; i < NODES; i++) {
                RedisServer node = RedisServer.builder()
                        .config("cluster-enabled yes")
                        .config("cluster-node-timeout 1000")
                        .config("cluster-require-full-coverage no")
                        .start();
                cluster.nodes.add(node);
                Resp.call(node.port(), "CLUSTER", "SET-CONFIG-EPOCH", String.valueOf(i + 1));
                String[] addSlots = IntStream.range(firstSlot(i), firstSlot(i + 1)).mapToObj(String::valueOf)
                        .toArray(String[]::new);
                String[] command = new String[addSlots.length + 2];
                command[0] = "CLUSTER";
                command[1] = "ADDSLOTS";
                System.arraycopy(addSlots, 0, command, 2, addSlots.length);
                Resp.call(node.port(), command);
            }
            RedisServer first = cluster.nodes.get(0);
            for (RedisServer other : cluster.nodes.subList(1, NODES)) {
                Resp.call(first.port(), "CLUSTER", "MEET", other.host(), String.valueOf(other.port()));
            }
            cluster.awaitHealthy(READY_TIMEOUT);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private static int firstSlot(int node) {
        return node * SLOTS / NODES;
    }

    /** {@code redis-cluster://127.0.0.1:PORT,127.0.0.1:PORT,127.0.0.1:PORT}. */
    public String url() {
        return "redis-cluster://" + nodes.stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(","));
    }

    /** The three nodes, in slot order: the first holds slots 0-5460. */
    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** The node holding {@code key}'s slot. */
    public RedisServer nodeFor(String key) {
        RedisServer asked = nodes.stream().filter(RedisServer::isRunning).findFirst()
                .orElseThrow(() -> new IllegalStateException("No cluster node is running"));
        long slot = (Long) Resp.call(asked.port(), "CLUSTER", "KEYSLOT", key);
        for (int i = NODES - 1; i >= 0; i--) {
            if (slot >= firstSlot(i)) {
                return nodes.get(i);
            }
        }
        throw new IllegalStateException("Slot " + slot + " of '" + key + "' is below 0");
    }

    /** Waits until every node runs, knows the other two and says {@code cluster_state:ok}. */
    public void awaitHealthy(Duration timeout) {
        Support.await("every cluster node to know the others and say cluster_state:ok", timeout,
                () -> nodes.stream().allMatch(node -> {
                    String info = (String) Resp.call(node.port(), "CLUSTER", "INFO");
                    return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + NODES)
                            && info.contains("cluster_slots_ok:" + SLOTS);
                }));
    }

    @Override
    public void close() {
        for (RedisServer node : nodes) {
            node.close();
        }
    }
}

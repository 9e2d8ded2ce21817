package io.streamback.operator.autoscaling;

import io.streamback.config.KafkaEndpoint;
import io.streamback.config.StreamsUrl;
import io.streamback.internal.kafka.ConsumerLag;
import io.streamback.internal.kafka.KafkaClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SslConfigs;

/**
 * Reads a consumer group's lag with the Kafka admin client, counted as the worker counts it
 * ({@link ConsumerLag}). One admin client per Kafka endpoint (servers, credentials and trust) serves every
 * listener on it; a client that failed is closed, so the next reading connects afresh, and one
 * unused for {@link #IDLE} is closed too.
 */
public final class LagReader implements AutoCloseable {

    /** How long one reading may take: it runs on a reconciliation thread. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration IDLE = Duration.ofMinutes(10);

    private final Duration timeout;
    private final Map<Target, Client> clients = new HashMap<>();
    private final AtomicInteger clientIds = new AtomicInteger();
    private boolean closed;

    private record Client(Admin admin, long lastUsedNanos) {
    }

    /** What an admin client connects to and trusts: the same servers with other trust get their own. */
    private record Target(KafkaEndpoint endpoint, Optional<String> caPem) {
    }

    public LagReader(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * The lag of {@code group} on {@code topics} (as the application names them: the URL's
     * topics_prefix is applied). TLS trusts {@code caPem} (PEM certificates from the streams
     * Secret) when given, else the URL's ca_file or the JVM's CAs; Kafka gets the PEM text itself,
     * nothing is written to disk.
     *
     * @throws LagUnavailableException naming the servers and the cause; never the credentials
     */
    public LagReading read(StreamsUrl streams, Optional<String> caPem, String group, List<String> topics)
            throws LagUnavailableException {
        // Without TLS there is nothing to trust.
        Target target = new Target(streams.main(), streams.main().tls() ? caPem : Optional.empty());
        Set<String> names = topics.stream().map(streams::topicName).collect(Collectors.toCollection(LinkedHashSet::new));
        Admin admin = admin(target);
        KafkaEndpoint endpoint = target.endpoint();
        try {
            return read(admin, group, names);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            discard(target, admin);
            throw unavailable(endpoint, group, e, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(endpoint, group, e, timeout);
        }
    }

    private LagReading read(Admin admin, String group, Set<String> topics)
            throws ExecutionException, TimeoutException, InterruptedException, LagUnavailableException {
        ConsumerLag lag = ConsumerLag.read(admin, group, topics, timeout);
        if (!lag.missingTopics().isEmpty()) {
            throw new LagUnavailableException("a topic of " + topics + " does not exist on Kafka "
                    + "(the lag is read once every topic exists)");
        }
        return new LagReading(lag.total(), lag.widestTopic());
    }

    private synchronized Admin admin(Target target) throws LagUnavailableException {
        if (closed) {
            throw new LagUnavailableException("the operator is stopping");
        }
        long now = System.nanoTime();
        closeIdle(now);
        Client client = clients.get(target);
        if (client == null) {
            Admin admin;
            try {
                admin = Admin.create(new KafkaClients(target.endpoint(), timeout, trust(target))
                        .admin("streamback-operator-lag-" + clientIds.incrementAndGet()));
            } catch (KafkaException e) {
                throw unavailable(target.endpoint(), null, e, timeout);
            }
            client = new Client(admin, now);
        }
        clients.put(target, new Client(client.admin(), now));
        return client.admin();
    }

    /** PEM trust as text: Kafka takes ssl.truststore.certificates as a password, so it never logs it. */
    private static Map<String, String> trust(Target target) {
        return target.caPem()
                .map(pem -> Map.of(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM",
                        SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, pem))
                .orElse(Map.of());
    }

    private void closeIdle(long now) {
        for (Iterator<Client> it = clients.values().iterator(); it.hasNext(); ) {
            Client client = it.next();
            if (now - client.lastUsedNanos() > IDLE.toNanos()) {
                client.admin().close(Duration.ZERO);
                it.remove();
            }
        }
    }

    private synchronized void discard(Target target, Admin admin) {
        Client client = clients.get(target);
        if (client != null && client.admin() == admin) {
            clients.remove(target);
        }
        admin.close(Duration.ZERO);
    }

    /** Closes every admin client; readings after this fail. */
    @Override
    public synchronized void close() {
        closed = true;
        clients.values().forEach(client -> client.admin().close(Duration.ZERO));
        clients.clear();
    }

    private static LagUnavailableException unavailable(KafkaEndpoint endpoint, String group, Throwable error,
                                                       Duration timeout) {
        // The innermost message says what went wrong ("No resolvable bootstrap urls..."), the wrappers do not.
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String what = cause instanceof TimeoutException && cause.getMessage() == null
                ? "no answer within " + timeout.toSeconds() + " s"
                : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String message = (group == null ? "cannot connect to Kafka " : "cannot read the lag of group " + group
                + " from Kafka ") + endpoint.bootstrapServers() + ": " + what;
        // Kafka's messages do not carry the password; this makes sure of it.
        String password = endpoint.sasl().map(c -> c.password()).orElse(null);
        return new LagUnavailableException(password == null ? message : message.replace(password, "****"));
    }
}

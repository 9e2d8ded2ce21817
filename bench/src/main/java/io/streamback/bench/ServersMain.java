package io.streamback.bench;

import io.streamback.testkit.RedisCluster;
import io.streamback.testkit.RedisSentinels;
import io.streamback.testkit.Testkit;

/**
 * Child JVM main: the testkit's Kafka broker and Redis server, out of the harness's JVM so that
 * the broker's threads and garbage do not share a heap with what is measured, and for the argument
 * {@code sentinel} or {@code cluster} also the testkit's Sentinel setup or cluster for Streamback's
 * feedback stream. Prints {@code SERVERS <kafka host:port> <redis host:port> <feedback URL>} and
 * runs until its stdin ends.
 */
public final class ServersMain {
    private ServersMain() {
    }

    public static void main(String[] args) throws Exception {
        String feedback = args.length == 0 ? "single" : args[0];
        try (Testkit testkit = Testkit.start();
             RedisSentinels sentinels = feedback.equals("sentinel") ? RedisSentinels.start() : null;
             RedisCluster cluster = feedback.equals("cluster") ? RedisCluster.start() : null) {
            String feedbackUrl = sentinels != null ? sentinels.url() : cluster != null ? cluster.url() : testkit.redisUrl();
            System.out.println("SERVERS " + testkit.bootstrapServers() + " "
                    + testkit.redis().host() + ":" + testkit.redis().port() + " " + feedbackUrl);
            System.out.flush();
            ChildJvm.awaitParentGone();
        }
        System.exit(0);
    }
}

package io.streamback.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

class RedisServerTest {

    @Test
    void answersPingSetAndGet() {
        try (RedisServer redis = RedisServer.start(); Jedis jedis = new Jedis(URI.create(redis.url()))) {
            assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
            assertThat(jedis.ping()).isEqualTo("PONG");
            jedis.set("greeting", "hello");
            assertThat(jedis.get("greeting")).isEqualTo("hello");
        }
    }

    @Test
    @DisabledIf(value = "io.streamback.testkit.TestModes#containers", disabledReason = "stop and restart on the same port: processes mode only")
    void restartsEmptyOnTheSamePort() {
        try (RedisServer redis = RedisServer.start()) {
            int port = redis.port();
            try (Jedis jedis = new Jedis(redis.host(), port)) {
                jedis.set("key", "value");
            }

            redis.stop();
            assertThat(redis.isRunning()).isFalse();
            try (Jedis jedis = new Jedis(redis.host(), port)) {
                assertThatThrownBy(jedis::ping).isInstanceOf(JedisConnectionException.class);
            }

            redis.restart();
            assertThat(redis.isRunning()).isTrue();
            assertThat(redis.port()).isEqualTo(port);
            try (Jedis jedis = new Jedis(redis.host(), port)) {
                assertThat(jedis.ping()).isEqualTo("PONG");
                assertThat(jedis.get("key")).isNull();
            }
        }
    }

    @Test
    @DisabledIf(value = "io.streamback.testkit.TestModes#containers", disabledReason = "kill and restart: processes mode only")
    void killEndsTheProcessAtOnceAndRestartBringsItBackEmpty() {
        try (RedisServer redis = RedisServer.builder().config("maxmemory 12345678").start()) {
            try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
                assertThat(jedis.configGet("maxmemory")).containsEntry("maxmemory", "12345678");
                jedis.set("key", "value");
            }

            redis.kill();
            assertThat(redis.isRunning()).isFalse();
            try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
                assertThatThrownBy(jedis::ping).isInstanceOf(JedisConnectionException.class);
            }

            redis.restart();
            try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
                assertThat(jedis.get("key")).isNull();
                assertThat(jedis.configGet("maxmemory")).as("the configuration lines again").containsEntry("maxmemory", "12345678");
            }
        }
    }

    @Test
    void passesExtraArgumentsToTheServer() {
        try (RedisServer redis = RedisServer.builder().argument("--requirepass", "s3cret").start();
             Jedis jedis = new Jedis(redis.host(), redis.port())) {
            assertThatThrownBy(jedis::ping).isInstanceOf(JedisDataException.class).hasMessageContaining("NOAUTH");
            jedis.auth("s3cret");
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void reportsTheServerLogWhenItCannotStart() {
        assertThatThrownBy(() -> RedisServer.builder().argument("--no-such-directive", "x").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-directive")
                .hasMessageContaining("Bad directive");
    }

    @Test
    @DisabledIf(value = "io.streamback.testkit.TestModes#containers",
            disabledReason = "restart is processes mode only; ContainerModeTest closes a container twice")
    void closeKillsTheProcessAndIsIdempotent() {
        RedisServer redis = RedisServer.start();

        redis.close();
        redis.close();

        assertThat(redis.isRunning()).isFalse();
        assertThatThrownBy(redis::restart).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}

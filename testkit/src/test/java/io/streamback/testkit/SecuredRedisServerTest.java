package io.streamback.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

@DisabledIf(value = "io.streamback.testkit.TestModes#containers",
        disabledReason = "passwords, ACL users and TLS are processes mode only; ContainerModeTest checks they are refused")
class SecuredRedisServerTest {

    /** Why a TLS test is skipped, and how to run it. */
    static final String NO_TLS = "The redis-server in use (" + RedisServer.executable() + ") was built without TLS."
            + " Point " + RedisServer.EXECUTABLE_VARIABLE + " or -D" + RedisServer.EXECUTABLE_PROPERTY
            + " at a redis-server built with TLS (e.g. Debian's redis-server package) to run this test.";

    @Test
    void passwordProtectedServer() {
        try (RedisServer redis = RedisServer.builder().password("pa ss:w@rd").start();
             Jedis jedis = new Jedis(redis.host(), redis.port())) {
            assertThat(redis.url()).isEqualTo("redis://:pa%20ss%3Aw%40rd@127.0.0.1:" + redis.port());
            assertThatThrownBy(jedis::ping).isInstanceOf(JedisDataException.class).hasMessageContaining("NOAUTH");
            assertThatThrownBy(() -> jedis.auth("wrong")).isInstanceOf(JedisDataException.class);
            jedis.auth("pa ss:w@rd");
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void aclUsersAloneDisableTheDefaultUser() {
        try (RedisServer redis = RedisServer.builder().user("app", "app-Secret").user("other", "other-Secret").start();
             Jedis jedis = new Jedis(redis.host(), redis.port())) {
            assertThat(redis.url()).isEqualTo("redis://app:app-Secret@127.0.0.1:" + redis.port());
            assertThatThrownBy(jedis::ping).isInstanceOf(JedisDataException.class).hasMessageContaining("NOAUTH");
            assertThatThrownBy(() -> jedis.auth("app", "wrong")).isInstanceOf(JedisAccessControlException.class);
            jedis.auth("other", "other-Secret");
            jedis.set("k", "v");
            assertThat(jedis.aclWhoAmI()).isEqualTo("other");
        }
    }

    @Test
    void tlsOnlyServerWithTheTestAuthority() {
        assumeTrue(RedisServer.supportsTls(), NO_TLS);
        TestCertificates certificates = TestCertificates.shared();
        long start = System.nanoTime();
        try (RedisServer redis = RedisServer.builder().tls(certificates).user("app", "app-Secret").start()) {
            System.out.printf("Redis with TLS and an ACL user started in %.2f s%n", (System.nanoTime() - start) / 1e9);
            assertThat(redis.url()).isEqualTo("rediss://app:app-Secret@127.0.0.1:" + redis.port());

            SSLParameters verifyHostName = new SSLParameters();
            verifyHostName.setEndpointIdentificationAlgorithm("HTTPS");
            DefaultJedisClientConfig tls = DefaultJedisClientConfig.builder().ssl(true)
                    .sslSocketFactory(certificates.sslContext().getSocketFactory()).sslParameters(verifyHostName)
                    .user("app").password("app-Secret").build();
            try (Jedis jedis = new Jedis(new HostAndPort("localhost", redis.port()), tls)) {
                assertThat(jedis.ping()).isEqualTo("PONG");
            }
            try (Jedis plain = new Jedis(redis.host(), redis.port())) {
                assertThatThrownBy(plain::ping).isInstanceOf(JedisConnectionException.class);
            }
        }
    }

    @Test
    void startupFailuresNeverShowPasswords() {
        assertThatThrownBy(() -> RedisServer.builder().password("hunter2-Secret")
                .argument("--no-such-directive", "hunter2-Secret").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-directive")
                .message().doesNotContain("hunter2-Secret");
    }
}

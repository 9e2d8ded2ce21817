package io.streamback.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.streamback.Streamback;
import io.streamback.callback.Callback;
import io.streamback.feedback.Reply;
import io.streamback.listener.Context;
import io.streamback.listener.Input;
import io.streamback.listener.Listen;
import io.streamback.listener.Listener;
import io.streamback.listener.Message;
import io.streamback.listener.Router;
import io.streamback.schedule.Schedule;
import io.streamback.spring.boot.actuate.StreambackHealthContributorAutoConfiguration;
import io.streamback.spring.boot.actuate.StreambackHealthIndicator;
import io.streamback.testkit.Testkit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.aop.framework.autoproxy.BeanNameAutoProxyCreator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration in a plain application context, against the testkit's real Kafka and Redis. */
class StreambackAutoConfigurationTest {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(StreambackAutoConfiguration.class,
                    StreambackHealthContributorAutoConfiguration.class));

    /** Each context gets its own consumer group and, through the topics prefix, its own topics. */
    private ApplicationContextRunner onTestkit() {
        return runner.withPropertyValues(
                "streamback.streams=" + Testkit.shared().streamsUrl(),
                "streamback.name=" + Testkit.uniqueName("app"),
                "streamback.topics-prefix=" + Testkit.uniqueName("test"),
                "streamback.create-missing-topics=1");
    }

    @Test
    void listenMethodsListenerClassesRoutersAndSchedulesAreRegisteredAndRun() {
        onTestkit().withUserConfiguration(ListenerBeans.class).run(context -> {
            assertThat(context).hasNotFailed();
            Streamback streamback = context.getBean(Streamback.class);

            assertThat(streamback.send("greetings", Map.of("name", "Ada")).read(REPLY_TIMEOUT).map(Reply::value))
                    .map(JsonNode::asText).contains("Hello, Ada");
            assertThat(streamback.send("counted", Map.of()).read(REPLY_TIMEOUT).map(Reply::value))
                    .map(JsonNode::asText).contains("counted by a Listener bean");
            assertThat(streamback.send("routed", Map.of()).read(REPLY_TIMEOUT).map(Reply::value))
                    .map(JsonNode::asText).contains("routed");
            assertThat(context.getBean(ListenerBeans.class).ticks.await(20, TimeUnit.SECONDS))
                    .as("the schedule bean sent to its topic, whose listener got it").isTrue();
        });
    }

    @Test
    void listenerConcurrencyGivesListenersWithoutTheirOwnADedicatedWorker() {
        onTestkit().withUserConfiguration(ThreadRecordingListener.class)
                .withPropertyValues("streamback.listener-concurrency=1")
                .run(context -> {
                    Streamback streamback = context.getBean(Streamback.class);
                    assertThat(streamback.send("threads", Map.of()).read(REPLY_TIMEOUT, String.class).map(Reply::value))
                            .as("the worker that ran the listener").hasValueSatisfying(thread -> assertThat(thread)
                                    .endsWith("-ThreadRecordingListener.record-1").doesNotContain("-pool"));
                });
    }

    @Test
    void metersGoToTheApplicationsRegistry() {
        onTestkit().withUserConfiguration(ListenerBeans.class)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    Streamback streamback = context.getBean(Streamback.class);
                    assertThat(streamback.meterRegistry()).isSameAs(registry);

                    streamback.send("greetings", Map.of("name", "Ada")).read(REPLY_TIMEOUT);

                    // counted once the listener has returned, which may be just after its reply arrives
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry
                            .get("streamback.records.consumed").tag("listener", "ListenerBeans.greet")
                            .counter().count()).isEqualTo(1.0));
                });
    }

    @Test
    void spansGoToTheApplicationsOpenTelemetry() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
        onTestkit().withUserConfiguration(ListenerBeans.class)
                .withBean(OpenTelemetry.class, () -> OpenTelemetrySdk.builder()
                        .setTracerProvider(tracerProvider)
                        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                        .build())
                .run(context -> {
                    Streamback streamback = context.getBean(Streamback.class);

                    streamback.send("greetings", Map.of("name", "Ada")).read(REPLY_TIMEOUT);

                    String topic = streamback.streams().topicName("greetings");
                    SpanData process = await().atMost(Duration.ofSeconds(10)).until(() -> exporter.getFinishedSpanItems()
                            .stream().filter(span -> span.getName().equals("process " + topic)).findFirst(),
                            Optional::isPresent).orElseThrow();
                    assertThat(exporter.getFinishedSpanItems())
                            .filteredOn(span -> span.getSpanId().equals(process.getParentSpanId()))
                            .extracting(SpanData::getName).containsExactly("send " + topic);
                });
        tracerProvider.close();
    }

    @Test
    void callbackBeansAreAddedAndCustomizerBeansApplied() {
        CountDownLatch consumed = new CountDownLatch(1);
        List<Streamback.Builder> customized = new CopyOnWriteArrayList<>();
        onTestkit().withUserConfiguration(ListenerBeans.class)
                .withBean(Callback.class, () -> new Callback() {
                    @Override
                    public void onConsumeEnd(Context context, Message message, Exception exception) {
                        consumed.countDown();
                    }
                })
                .withBean(StreambackBuilderCustomizer.class, () -> customized::add)
                .run(context -> {
                    assertThat(customized).hasSize(1);
                    context.getBean(Streamback.class).send("greetings", Map.of("name", "Ada")).read(REPLY_TIMEOUT);
                    assertThat(consumed.await(20, TimeUnit.SECONDS)).isTrue();
                });
    }

    @Test
    void healthIsUpOnceStartedAndDownWithTheReasonBefore() {
        onTestkit().withUserConfiguration(ListenerBeans.class)
                .withPropertyValues("streamback.auto-startup=false")
                .run(context -> {
                    StreambackHealthIndicator health = context.getBean(StreambackHealthIndicator.class);
                    assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.health().getDetails()).containsEntry("reason", "starting");

                    context.getBean(StreambackLifecycle.class).start();

                    await().atMost(Duration.ofSeconds(30))
                            .untilAsserted(() -> assertThat(health.health().getStatus()).isEqualTo(Status.UP));
                });
    }

    @Test
    void anApplicationsOwnStreambackReplacesTheAutoConfiguredOne() {
        Streamback own = Streamback.create("own", Testkit.shared().streamsUrl());
        runner.withBean(Streamback.class, () -> own)
                .run(context -> assertThat(context.getBean(Streamback.class)).isSameAs(own));
    }

    @Test
    void withoutKafkaSettingsStartupFailsNamingWhatToSet() {
        runner.withPropertyValues("spring.application.name=billing").run(context -> assertThat(context)
                .getFailure().rootCause()
                .hasMessageContaining("streamback.streams")
                .hasMessageContaining("spring.kafka.bootstrap-servers"));
    }

    @Test
    void withoutAnApplicationNameStartupFailsNamingWhatToSet() {
        runner.withPropertyValues("streamback.streams=" + Testkit.shared().streamsUrl()).run(context -> assertThat(context)
                .getFailure().rootCause()
                .hasMessageContaining("streamback.name")
                .hasMessageContaining("spring.application.name"));
    }

    @Test
    void aMalformedTopicLayoutNamesTheProperty() {
        onTestkit().withPropertyValues("streamback.create-missing-topics=six").run(context -> assertThat(context)
                .getFailure()
                .hasStackTraceContaining("streamback.create-missing-topics: 'six' is not PARTITIONS or PARTITIONS:REPLICATION"));
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void springsRedisPasswordIsUsedButNeverLogged(CapturedOutput output) {
        Testkit testkit = Testkit.shared();
        runner.withPropertyValues(
                        "spring.application.name=billing",
                        "spring.kafka.bootstrap-servers=" + testkit.bootstrapServers(),
                        "spring.data.redis.host=" + testkit.redis().host(),
                        "spring.data.redis.port=" + testkit.redis().port(),
                        "spring.data.redis.password=s3cret-value",
                        "streamback.auto-startup=false")
                .run(context -> {
                    Streamback streamback = context.getBean(Streamback.class);
                    assertThat(streamback.streams().feedback()).hasValueSatisfying(redis -> assertThat(
                            redis.credentials()).hasValueSatisfying(c -> assertThat(c.password()).isEqualTo("s3cret-value")));
                    assertThat(output).contains("Streamback 'billing' on main=kafka://" + testkit.bootstrapServers())
                            .doesNotContain("s3cret-value");
                });
    }

    @Test
    void theApplicationNameDefaultsToSpringsOne() {
        runner.withPropertyValues("streamback.streams=" + Testkit.shared().streamsUrl(), "spring.application.name=billing")
                .run(context -> assertThat(context.getBean(Streamback.class).name()).isEqualTo("billing"));
    }

    @Test
    void aProxiedListenerBeanIsRefusedWithTheReason() {
        onTestkit().withUserConfiguration(ProxiedListenerBean.class).run(context -> assertThat(context)
                .getFailure().rootCause()
                .hasMessageContaining("Listener bean 'proxiedListeners' is a proxy"));
    }

    @Configuration(proxyBeanMethods = false)
    static class ListenerBeans {
        final CountDownLatch ticks = new CountDownLatch(1);

        @Listen(topic = "greetings")
        public void greet(@Input("name") String name, Message message) {
            message.respond("Hello, " + name);
        }

        @Listen(topic = "ticks")
        public void tick(Message message) {
            ticks.countDown();
        }

        @Bean
        CountingListener countingListener() {
            return new CountingListener();
        }

        @Bean
        Router router() {
            return new Router().listen("routed", (context, message) -> message.respond("routed"));
        }

        @Bean
        Schedule everySecond() {
            return Schedule.named("tick").when("* * * * * *").then("ticks").args(Map.of("n", 1)).build();
        }
    }

    public static class ThreadRecordingListener {
        @Listen(topic = "threads")
        public void record(Message message) {
            message.respond(Thread.currentThread().getName());
        }
    }

    @Listen(topic = "counted")
    public static class CountingListener implements Listener {
        @Override
        public void consume(Context context, Message message) {
            message.respond("counted by a Listener bean");
        }
    }

    /** A class proxy with no advice: as a listener bean with @Transactional or @Async on it would be. */
    @Configuration(proxyBeanMethods = false)
    static class ProxiedListenerBean {
        @Bean
        static BeanNameAutoProxyCreator proxyCreator() {
            BeanNameAutoProxyCreator creator = new BeanNameAutoProxyCreator();
            creator.setBeanNames("proxiedListeners");
            creator.setProxyTargetClass(true);
            creator.setInterceptorNames();
            return creator;
        }

        @Bean
        Listeners proxiedListeners() {
            return new Listeners();
        }

        static class Listeners {
            @Listen(topic = "proxied")
            public void handle(Message message) {
            }
        }
    }
}

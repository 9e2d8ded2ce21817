package io.streamback.operator.schedule;

import static io.streamback.operator.testing.TestResources.schedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.streamback.operator.common.Conditions;
import io.streamback.operator.crd.StatusCondition;
import io.streamback.operator.crd.StreambackSchedule;
import io.streamback.operator.testing.Cluster;
import io.streamback.operator.testing.Kubectl;
import io.streamback.operator.testing.TestResources;
import io.streamback.schedule.CronExpression;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The schedule reconciler, running under the operator SDK against a real API server. */
class StreambackScheduleTest {

    static Cluster cluster;

    @BeforeAll
    static void start() {
        cluster = Cluster.withOperator();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50));
    }

    static String namespace(String prefix) {
        String ns = cluster.namespace(prefix);
        cluster.createStreamsSecret(ns, TestResources.SECRET, "streams", TestResources.STREAMS_URL);
        return ns;
    }

    static CronJob cronJobWhen(String ns, String name, Predicate<CronJob> condition) {
        return eventually().until(() -> cluster.get(CronJob.class, ns, name), c -> c != null && condition.test(c));
    }

    static Deployment schedulerWhen(String ns, String name, Predicate<Deployment> condition) {
        return eventually().until(() -> cluster.deployment(ns, name + "-scheduler"),
                d -> d != null && condition.test(d));
    }

    static StreambackSchedule scheduleWhen(String ns, String name, Predicate<StreambackSchedule> condition) {
        return eventually().until(() -> cluster.get(StreambackSchedule.class, ns, name),
                s -> s != null && s.getStatus() != null && condition.test(s));
    }

    static void edit(String ns, String name, Consumer<StreambackSchedule> change) {
        cluster.edit(StreambackSchedule.class, ns, name, change);
    }

    static StatusCondition ready(StreambackSchedule schedule) {
        return Conditions.get(schedule.getStatus(), "Ready").orElseThrow();
    }

    static Map<String, EnvVar> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }

    static ObjectNode args() {
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        args.put("report", "daily");
        args.putObject("window").put("days", 1);
        return args;
    }

    @Test
    void aDailyScheduleBecomesACronJobThatSendsOncePerOccurrence() throws Exception {
        String ns = namespace("daily");
        StreambackSchedule resource = schedule(ns, "nightly-report", "0 3 * * *", "reports");
        resource.getSpec().setArgs(args());
        resource.getSpec().setDescription("The nightly sales report");
        StreambackSchedule created = cluster.create(resource);

        CronJob cronJob = cronJobWhen(ns, "nightly-report", c -> true);
        assertThat(cronJob.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("StreambackSchedule");
            assertThat(owner.getUid()).isEqualTo(created.getMetadata().getUid());
            assertThat(owner.getController()).isTrue();
        });
        assertThat(cronJob.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "schedule")
                .containsEntry("app.kubernetes.io/managed-by", "streamback-operator");
        assertThat(cronJob.getSpec().getSchedule()).isEqualTo("0 3 * * *");
        assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(cronJob.getSpec().getSuspend()).isFalse();
        assertThat(cronJob.getSpec().getSuccessfulJobsHistoryLimit()).isPositive();
        assertThat(cronJob.getSpec().getFailedJobsHistoryLimit()).isPositive();
        assertThat(cronJob.getSpec().getTimeZone()).isNull();

        var pod = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        Container send = pod.getContainers().get(0);
        assertThat(send.getImage()).isEqualTo(Cluster.WORKER_IMAGE);
        assertThat(send.getArgs()).hasSize(3);
        assertThat(send.getArgs().subList(0, 2)).containsExactly("send", "reports");
        JsonNode sent = Serialization.unmarshal(send.getArgs().get(2), JsonNode.class);
        assertThat(sent).isEqualTo(args());
        assertThat(env(send).get("STREAMBACK_STREAMS").getValueFrom().getSecretKeyRef().getName())
                .isEqualTo(TestResources.SECRET);
        assertThat(env(send).get("STREAMBACK_NAME").getValue()).isEqualTo("nightly-report");
        assertThat(send.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(Serialization.asJson(cronJob)).doesNotContain("kafka://");

        // The operator's clock says 2030-01-01T10:00:00Z: the next 03:00 UTC is the next day's.
        StreambackSchedule status = scheduleWhen(ns, "nightly-report", s -> s.getStatus().getObservedGeneration() != null);
        assertThat(status.getStatus().getRunsAs()).isEqualTo("CronJob");
        assertThat(status.getStatus().getNextScheduleTime()).isEqualTo("2030-01-02T03:00:00Z");
        assertThat(ready(status).getStatus()).isEqualTo("True");
        assertThat(ready(status).getReason()).isEqualTo("Scheduled");
        assertThat(status.getStatus().getLastScheduleTime()).isNull();
        // kubectl prints the next time as it is: a date column would print a future time as "<invalid>".
        assertThat(Kubectl.run(cluster, "get", "streambackschedule", "nightly-report", "-n", ns))
                .contains("2030-01-02T03:00:00Z").doesNotContain("<invalid>");

        // The CronJob controller reports a run: the schedule shows it.
        cluster.client().batch().v1().cronjobs().inNamespace(ns).withName("nightly-report").editStatus(c -> {
            c.setStatus(new CronJobStatusBuilder().withLastScheduleTime("2030-01-01T03:00:00Z").build());
            return c;
        });
        scheduleWhen(ns, "nightly-report", s -> "2030-01-01T03:00:00Z".equals(s.getStatus().getLastScheduleTime()));
    }

    @Test
    void aScheduleInATimeZoneCarriesIt() {
        String ns = namespace("zone");
        StreambackSchedule resource = schedule(ns, "paris", "30 8 * * 1-5", "standup");
        resource.getSpec().setTimeZone("Europe/Paris");
        cluster.create(resource);

        CronJob cronJob = cronJobWhen(ns, "paris", c -> true);
        assertThat(cronJob.getSpec().getTimeZone()).isEqualTo("Europe/Paris");
        // 2030-01-01 is a Tuesday; 08:30 in Paris (UTC+1 in winter) is 07:30 UTC, past at 10:00 UTC.
        StreambackSchedule status = scheduleWhen(ns, "paris", s -> s.getStatus().getNextScheduleTime() != null);
        assertThat(status.getStatus().getNextScheduleTime()).isEqualTo("2030-01-02T07:30:00Z");
    }

    @Test
    void aScheduleThatNeedsSecondsBecomesASchedulerDeployment() {
        String ns = namespace("seconds");
        StreambackSchedule resource = schedule(ns, "heartbeat", "*/30 * * * * *", "heartbeats");
        resource.getSpec().setArgs(args());
        resource.getSpec().setTimeZone("UTC");
        cluster.create(resource);

        Deployment scheduler = schedulerWhen(ns, "heartbeat", d -> true);
        assertThat(scheduler.getSpec().getReplicas()).isEqualTo(1);
        assertThat(scheduler.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getName()).isEqualTo("heartbeat"));
        assertThat(scheduler.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        Container container = scheduler.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getArgs()).containsExactly("schedule", "--name", "heartbeat", "--when", "*/30 * * * * *",
                "--then", "heartbeats", "--args", args().toString(), "--time-zone", "UTC");
        assertThat(env(container).get("STREAMBACK_NAME").getValue()).isEqualTo("heartbeat");
        assertThat(env(container).get("STREAMBACK_HTTP_PORT").getValue()).isEqualTo("8080");
        assertThat(env(container).get("STREAMBACK_STREAMS").getValueFrom().getSecretKeyRef().getKey())
                .isEqualTo("streams");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(container.getStartupProbe().getPeriodSeconds()).isEqualTo(1);
        assertThat(scheduler.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true");
        assertThat(cluster.get(CronJob.class, ns, "heartbeat")).isNull();

        StreambackSchedule waiting = scheduleWhen(ns, "heartbeat", s -> s.getStatus().getObservedGeneration() != null);
        assertThat(waiting.getStatus().getRunsAs()).isEqualTo("Deployment");
        assertThat(waiting.getStatus().getNextScheduleTime()).isEqualTo("2030-01-01T10:00:30Z");
        assertThat(ready(waiting).getReason()).isEqualTo("SchedulerNotReady");

        cluster.reportReady(ns, "heartbeat-scheduler");
        StreambackSchedule running = scheduleWhen(ns, "heartbeat", s -> Conditions.isTrue(s.getStatus(), "Ready"));
        assertThat(ready(running).getReason()).isEqualTo("SchedulerReady");
    }

    @Test
    void sixFieldsOnTheMinuteStillRunAsACronJob() {
        String ns = namespace("minute");
        cluster.create(schedule(ns, "every-five", "0 */5 * * * *", "ticks"));

        CronJob cronJob = cronJobWhen(ns, "every-five", c -> true);
        assertThat(cronJob.getSpec().getSchedule()).isEqualTo("*/5 * * * *");
        assertThat(cluster.deployment(ns, "every-five-scheduler")).isNull();
    }

    @Test
    void nextScheduleTimesAreTheSchedulerPodsOnesAndTheCronJobsScheduleIsOneKubernetesTakes() {
        String ns = namespace("next-runs");
        Map<String, String> whens = Map.of(
                "weekdays", "0 9 * * MON-FRI",
                "thirteenth-or-friday", "0 0 13 * 5",
                "weekend", "30 7 * * 6-7",
                "monthly", "@monthly",
                "seconds", "15 */10 * * * *");
        whens.forEach((name, when) -> {
            StreambackSchedule resource = schedule(ns, name, when, "ticks");
            resource.getSpec().setTimeZone("Europe/Paris");
            cluster.create(resource);
        });

        // The operator's clock stands still at 2030-01-01T10:00:00Z.
        Instant now = cluster.clock.instant();
        whens.forEach((name, when) -> {
            StreambackSchedule status = scheduleWhen(ns, name, s -> s.getStatus().getNextScheduleTime() != null);
            CronExpression pods = CronExpression.parse(when.equals("@monthly") ? "0 0 1 * *" : when);
            assertThat(status.getStatus().getNextScheduleTime()).as(when)
                    .isEqualTo(pods.nextAfter(now, ZoneId.of("Europe/Paris")).orElseThrow().toString());
        });
        // Sunday as 7 is ours, not Kubernetes' cron: the CronJob the API server took names it 0.
        assertThat(cronJobWhen(ns, "weekend", c -> true).getSpec().getSchedule()).isEqualTo("30 7 * * 0,6");
        assertThat(cronJobWhen(ns, "monthly", c -> true).getSpec().getSchedule()).isEqualTo("@monthly");
        assertThat(cronJobWhen(ns, "weekdays", c -> true).getSpec().getSchedule()).isEqualTo("0 9 * * MON-FRI");
    }

    @Test
    void suspendingStopsSendingInBothModes() {
        String ns = namespace("suspend");
        cluster.create(schedule(ns, "cron", "0 3 * * *", "reports"));
        cluster.create(schedule(ns, "fast", "*/10 * * * * *", "ticks"));
        cronJobWhen(ns, "cron", c -> true);
        schedulerWhen(ns, "fast", d -> d.getSpec().getReplicas() == 1);

        edit(ns, "cron", s -> s.getSpec().setSuspend(true));
        edit(ns, "fast", s -> s.getSpec().setSuspend(true));
        cronJobWhen(ns, "cron", c -> Boolean.TRUE.equals(c.getSpec().getSuspend()));
        schedulerWhen(ns, "fast", d -> d.getSpec().getReplicas() == 0);
        for (String name : new String[] {"cron", "fast"}) {
            StreambackSchedule suspended = scheduleWhen(ns, name, s -> "Suspended".equals(ready(s).getReason()));
            assertThat(ready(suspended).getStatus()).isEqualTo("True");
            assertThat(suspended.getStatus().getNextScheduleTime()).isNull();
        }

        edit(ns, "fast", s -> s.getSpec().setSuspend(false));
        schedulerWhen(ns, "fast", d -> d.getSpec().getReplicas() == 1);
    }

    @Test
    void changingWhenBetweenMinutesAndSecondsSwapsCronJobAndDeployment() {
        String ns = namespace("swap");
        cluster.create(schedule(ns, "swapper", "*/5 * * * *", "ticks"));
        cronJobWhen(ns, "swapper", c -> true);

        edit(ns, "swapper", s -> s.getSpec().setWhen("*/15 * * * * *"));
        schedulerWhen(ns, "swapper", d -> true);
        eventually().until(() -> cluster.get(CronJob.class, ns, "swapper") == null);
        scheduleWhen(ns, "swapper", s -> "Deployment".equals(s.getStatus().getRunsAs()));

        edit(ns, "swapper", s -> s.getSpec().setWhen("@hourly"));
        CronJob back = cronJobWhen(ns, "swapper", c -> true);
        assertThat(back.getSpec().getSchedule()).isEqualTo("@hourly");
        eventually().until(() -> cluster.deployment(ns, "swapper-scheduler") == null);
        scheduleWhen(ns, "swapper", s -> "CronJob".equals(s.getStatus().getRunsAs()));
    }

    @Test
    void handEditsOfTheCronJobAreReverted() {
        String ns = namespace("cron-drift");
        cluster.create(schedule(ns, "steady", "0 3 * * *", "reports"));
        cronJobWhen(ns, "steady", c -> true);

        cluster.client().batch().v1().cronjobs().inNamespace(ns).withName("steady").edit(c -> {
            c.getSpec().setSchedule("* * * * *");
            c.getSpec().setConcurrencyPolicy("Allow");
            return c;
        });
        cronJobWhen(ns, "steady", c -> "0 3 * * *".equals(c.getSpec().getSchedule())
                && "Forbid".equals(c.getSpec().getConcurrencyPolicy()));
    }
}

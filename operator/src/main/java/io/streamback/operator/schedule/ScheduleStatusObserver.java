package io.streamback.operator.schedule;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.streamback.operator.common.Conditions;
import io.streamback.operator.common.DeploymentHealth;
import io.streamback.operator.crd.StreambackSchedule;
import io.streamback.operator.crd.StreambackScheduleSpec;
import io.streamback.operator.crd.StreambackScheduleStatus;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/** Writes what runs a schedule, when it runs next and how it is doing into the schedule's status. */
final class ScheduleStatusObserver {

    private ScheduleStatusObserver() {
    }

    /**
     * @return the next occurrence, or empty while suspended
     */
    static Optional<Instant> observe(StreambackSchedule schedule, CronSchedule cron, CronJob cronJob,
                                     Deployment scheduler, Instant now) {
        StreambackScheduleSpec spec = schedule.getSpec();
        StreambackScheduleStatus status = schedule.getStatus();
        Long generation = schedule.getMetadata().getGeneration();

        status.setRunsAs(cron.runsAsCronJob()
                ? StreambackScheduleStatus.RUNS_AS_CRON_JOB : StreambackScheduleStatus.RUNS_AS_DEPLOYMENT);
        ZoneId zone = spec.getTimeZone() == null ? ZoneOffset.UTC : ZoneId.of(spec.getTimeZone());
        Optional<Instant> next = spec.suspended() ? Optional.empty()
                : cron.nextAfter(now, zone);
        status.setNextScheduleTime(next.map(Instant::toString).orElse(null));
        status.setLastScheduleTime(cron.runsAsCronJob() && cronJob != null && cronJob.getStatus() != null
                ? cronJob.getStatus().getLastScheduleTime() : null);

        DeploymentHealth health = DeploymentHealth.of(cron.runsAsCronJob() ? null : scheduler);
        if (spec.suspended()) {
            Conditions.set(status, Conditions.READY, true, "Suspended", "spec.suspend is true: nothing is sent",
                    generation, now);
        } else if (cron.runsAsCronJob()) {
            Conditions.set(status, Conditions.READY, true, "Scheduled",
                    "CronJob " + schedule.getMetadata().getName() + " runs \"" + cron.cronJobSchedule() + "\"",
                    generation, now);
        } else if (health.allReady(1)) {
            Conditions.set(status, Conditions.READY, true, "SchedulerReady", "the scheduler pod is ready",
                    generation, now);
        } else {
            Conditions.set(status, Conditions.READY, false, "SchedulerNotReady",
                    "the scheduler pod is not ready yet", generation, now);
        }

        if (health.failure().isPresent()) {
            DeploymentCondition failure = health.failure().get();
            Conditions.set(status, Conditions.DEGRADED, true, failure.getReason(),
                    "Deployment " + failure.getType() + ": " + failure.getMessage(), generation, now);
        } else {
            Conditions.set(status, Conditions.DEGRADED, false, Conditions.AS_EXPECTED, "", generation, now);
        }
        return next;
    }
}

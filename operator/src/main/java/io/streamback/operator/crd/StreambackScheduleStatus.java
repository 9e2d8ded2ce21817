package io.streamback.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed of a {@link StreambackSchedule}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StreambackScheduleStatus implements ConditionedStatus {

    /** {@link #getRunsAs()} of a minute-granularity schedule. */
    public static final String RUNS_AS_CRON_JOB = "CronJob";
    /** {@link #getRunsAs()} of a schedule that needs seconds. */
    public static final String RUNS_AS_DEPLOYMENT = "Deployment";

    @JsonPropertyDescription("metadata.generation of the spec this status was computed from.")
    private Long observedGeneration;

    @JsonPropertyDescription("What runs the schedule: CronJob (minute granularity) or Deployment (a scheduler pod, "
            + "for schedules that need seconds).")
    private String runsAs;

    @JsonPropertyDescription("The next occurrence of spec.when after the last status update, RFC 3339; "
            + "absent while suspended.")
    private String nextScheduleTime;

    @JsonPropertyDescription("When a run was last started, RFC 3339, as the CronJob reports it; absent when unknown "
            + "(the scheduler Deployment does not report it).")
    private String lastScheduleTime;

    @JsonPropertyDescription("Ready: the schedule is running (or deliberately suspended). Degraded: something keeps "
            + "it from its desired state (bad spec, missing Secret, failing scheduler).")
    private List<StatusCondition> conditions = new ArrayList<>();

    @Override
    public Long getObservedGeneration() {
        return observedGeneration;
    }

    @Override
    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public String getRunsAs() {
        return runsAs;
    }

    public void setRunsAs(String runsAs) {
        this.runsAs = runsAs;
    }

    public String getNextScheduleTime() {
        return nextScheduleTime;
    }

    public void setNextScheduleTime(String nextScheduleTime) {
        this.nextScheduleTime = nextScheduleTime;
    }

    public String getLastScheduleTime() {
        return lastScheduleTime;
    }

    public void setLastScheduleTime(String lastScheduleTime) {
        this.lastScheduleTime = lastScheduleTime;
    }

    @Override
    public List<StatusCondition> getConditions() {
        return conditions;
    }

    public void setConditions(List<StatusCondition> conditions) {
        this.conditions = conditions == null ? new ArrayList<>() : conditions;
    }
}

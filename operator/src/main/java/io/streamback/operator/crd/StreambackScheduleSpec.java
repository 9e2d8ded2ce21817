package io.streamback.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** What a {@link StreambackSchedule} asks for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.streams) != has(self.streamsSecretRef)",
        message = "set exactly one of spec.streams and spec.streamsSecretRef")
public class StreambackScheduleSpec extends WorkerPodSpec {

    /** Five or six whitespace-separated cron fields, or one of the CronJob macros. */
    public static final String WHEN_PATTERN =
            "^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|\\S+(\\s+\\S+){4,5})$";

    @Required
    @Pattern(WHEN_PATTERN)
    @JsonPropertyDescription("When to send, as a cron expression. Five fields (minute hour day-of-month month "
            + "day-of-week, e.g. \"0 3 * * *\", or @hourly, @daily, ...) run as a CronJob. Six fields put seconds "
            + "first (e.g. \"*/30 * * * * *\") and run as a one-pod scheduler Deployment, unless the seconds field "
            + "is 0.")
    private String when;

    @Required
    @Pattern(StreambackListenerSpec.TOPIC_PATTERN)
    @JsonPropertyDescription("Topic the scheduled message is sent to.")
    private String then;

    @PreserveUnknownFields
    @JsonPropertyDescription("The message sent at each occurrence: any JSON object. Default: {}.")
    private ObjectNode args;

    @JsonPropertyDescription("What the schedule is for, for the humans reading it.")
    private String description;

    @Pattern("^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$")
    @JsonPropertyDescription("IANA time zone the cron expression is read in, e.g. Europe/Paris. Default: UTC.")
    private String timeZone;

    @JsonPropertyDescription("true stops sending: the CronJob is suspended, the scheduler Deployment scaled to 0. "
            + "Default: false.")
    private Boolean suspend;

    public String getWhen() {
        return when;
    }

    public void setWhen(String when) {
        this.when = when;
    }

    public String getThen() {
        return then;
    }

    public void setThen(String then) {
        this.then = then;
    }

    public ObjectNode getArgs() {
        return args;
    }

    public void setArgs(ObjectNode args) {
        this.args = args;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public Boolean getSuspend() {
        return suspend;
    }

    public void setSuspend(Boolean suspend) {
        this.suspend = suspend;
    }

    /** {@code suspend}, with the default applied. */
    public boolean suspended() {
        return Boolean.TRUE.equals(suspend);
    }
}

package io.streamback.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** What a {@link StreambackSchedule} asks for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.streams) != has(self.streamsSecretRef)",
        message = "set exactly one of spec.streams and spec.streamsSecretRef")
public class StreambackScheduleSpec {

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

    @JsonPropertyDescription("The streams URL written inline. It is stored in plain text: prefer streamsSecretRef. "
            + "Set exactly one of streams and streamsSecretRef.")
    private String streams;

    @JsonPropertyDescription("The streams URL from a Secret key, passed to the pods as a secretKeyRef (recommended). "
            + "Set exactly one of streams and streamsSecretRef.")
    private StreamsSecretRef streamsSecretRef;

    @Pattern("^\\S+$")
    @JsonPropertyDescription("Container image running the Streamback CLI. Default: the operator's worker image "
            + "(STREAMBACK_WORKER_IMAGE).")
    private String image;

    @JsonPropertyDescription("Image pull policy: Always, IfNotPresent or Never.")
    private ImagePullPolicy imagePullPolicy;

    @JsonPropertyDescription("Secrets holding registry credentials for the image (standard LocalObjectReference list).")
    private List<LocalObjectReference> imagePullSecrets;

    @JsonPropertyDescription("Service account of the pods. Default: the namespace's default service account.")
    private String serviceAccountName;

    @JsonPropertyDescription("Compute resources of the container (standard Kubernetes ResourceRequirements).")
    private ResourceRequirements resources;

    @JsonPropertyDescription("Extra environment variables of the container (standard Kubernetes EnvVar list). "
            + "The variables the operator sets may not be repeated here.")
    private List<EnvVar> env;

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

    public String getStreams() {
        return streams;
    }

    public void setStreams(String streams) {
        this.streams = streams;
    }

    public StreamsSecretRef getStreamsSecretRef() {
        return streamsSecretRef;
    }

    public void setStreamsSecretRef(StreamsSecretRef streamsSecretRef) {
        this.streamsSecretRef = streamsSecretRef;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public ImagePullPolicy getImagePullPolicy() {
        return imagePullPolicy;
    }

    public void setImagePullPolicy(ImagePullPolicy imagePullPolicy) {
        this.imagePullPolicy = imagePullPolicy;
    }

    public List<LocalObjectReference> getImagePullSecrets() {
        return imagePullSecrets;
    }

    public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
        this.imagePullSecrets = imagePullSecrets;
    }

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public List<EnvVar> getEnv() {
        return env;
    }

    public void setEnv(List<EnvVar> env) {
        this.env = env;
    }
}

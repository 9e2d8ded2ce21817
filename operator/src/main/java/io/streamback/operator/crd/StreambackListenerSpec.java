package io.streamback.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import io.streamback.internal.config.WorkerEnvironment;
import java.util.List;
import java.util.Map;

/** What a {@link StreambackListener} asks for. Field descriptions end up in the CRD and in {@code kubectl explain}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.streams) != has(self.streamsSecretRef)",
        message = "set exactly one of spec.streams and spec.streamsSecretRef")
@ValidationRule(value = "!has(self.autoscaling) || self.concurrency == " + StreambackListenerSpec.DEFAULT_CONCURRENCY,
        message = "spec.concurrency and spec.autoscaling are mutually exclusive: while autoscaling is on the operator "
                + "sets the pods from the lag, so kubectl scale is refused; change spec.autoscaling instead, "
                + "or remove it to scale by hand")
public class StreambackListenerSpec extends WorkerPodSpec {

    /** Pods of a listener without concurrency (and spec.concurrency of an autoscaled one). */
    public static final int DEFAULT_CONCURRENCY = 1;

    /** Kafka's rule for topic names. */
    public static final String TOPIC_PATTERN = "^[A-Za-z0-9._-]{1,249}$";
    /** A Kafka consumer group as Streamback names applications. */
    public static final String GROUP_PATTERN = "^[A-Za-z0-9._-]{1,249}$";
    /** A Kubernetes quantity such as 512Mi or 1Gi. */
    public static final String QUANTITY_PATTERN = "^[0-9]+(\\.[0-9]+)?([KMGTPE]i|[kMGTPE]|[eE][0-9]+)?$";

    @Required
    @Size(min = 1)
    @JsonPropertyDescription("Topics whose listeners this resource runs (STREAMBACK_TOPICS): the worker starts only the "
            + "listeners of these topics. At least one.")
    private List<@Pattern(TOPIC_PATTERN) String> topics;

    @Pattern(GROUP_PATTERN)
    @JsonPropertyDescription("Application name: the Kafka consumer group the pods share, and the source_group of "
            + "what they send (STREAMBACK_NAME). Default: the resource's name.")
    private String group;

    // A schema default: the scale subresource reads .spec.concurrency and answers 500 when it is absent.
    @SpecReplicas
    @Min(0)
    @Default("" + StreambackListenerSpec.DEFAULT_CONCURRENCY)
    @JsonPropertyDescription("Number of consumer pods, default 1. The scale subresource sets it: kubectl scale and "
            + "a HorizontalPodAutoscaler work on the listener itself. 0 stops the listener. "
            + "With autoscaling it stays at its default (kubectl scale is refused).")
    private Integer concurrency;

    @JsonPropertyDescription("Scale the pods on the consumer group's lag instead of concurrency: the operator "
            + "reads the lag of the topics with a Kafka admin client (streams URL and credentials from "
            + "streams or streamsSecretRef) and sets the Deployment's replicas, never above the topics' "
            + "largest partition count. Not with concurrency.")
    private Autoscaling autoscaling;

    @Pattern(QUANTITY_PATTERN)
    @JsonPropertyDescription("Shorthand for the container's memory request and limit, e.g. 512Mi. "
            + "resources.requests.memory and resources.limits.memory take precedence when set.")
    private String memory;

    @JsonPropertyDescription("Recycle the listener's pods after an age or above a memory size.")
    private AutoRestart autoRestart;

    @Min(1)
    @Default("" + WorkerEnvironment.DEFAULT_SHUTDOWN_TIMEOUT_SECONDS)
    @JsonPropertyDescription("Seconds a stopping worker has to finish the messages in hand "
            + "(" + WorkerEnvironment.SHUTDOWN_TIMEOUT_SECONDS + "); the pod's grace period is 15 s longer. "
            + "Default: " + WorkerEnvironment.DEFAULT_SHUTDOWN_TIMEOUT_SECONDS + ".")
    private Integer shutdownTimeoutSeconds;

    @JsonPropertyDescription("Overrides the image's entrypoint. Default: the image's entrypoint, the Streamback CLI.")
    private List<String> command;

    @JsonPropertyDescription("Arguments of the worker container. Default: [\"run\"], the CLI's listener command.")
    private List<String> args;

    @JsonPropertyDescription("Node labels the pods must be scheduled on (standard pod nodeSelector).")
    private Map<String, String> nodeSelector;

    @JsonPropertyDescription("Taints the pods tolerate (standard Kubernetes Toleration list).")
    private List<Toleration> tolerations;

    @JsonPropertyDescription("Pod affinity and anti-affinity rules (standard Kubernetes Affinity).")
    private Affinity affinity;

    @JsonPropertyDescription("How the pods spread over zones or nodes (standard Kubernetes TopologySpreadConstraint list).")
    private List<TopologySpreadConstraint> topologySpreadConstraints;

    @JsonPropertyDescription("PriorityClass of the pods.")
    private String priorityClassName;

    @JsonPropertyDescription("Extra labels of the pods. The app.kubernetes.io labels the operator sets win.")
    private Map<String, String> podLabels;

    @JsonPropertyDescription("Extra annotations of the pods. The prometheus.io annotations the operator sets win.")
    private Map<String, String> podAnnotations;

    public List<String> getTopics() {
        return topics;
    }

    public void setTopics(List<String> topics) {
        this.topics = topics;
    }

    public String getGroup() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group;
    }

    public Integer getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(Integer concurrency) {
        this.concurrency = concurrency;
    }

    public Autoscaling getAutoscaling() {
        return autoscaling;
    }

    public void setAutoscaling(Autoscaling autoscaling) {
        this.autoscaling = autoscaling;
    }

    public String getMemory() {
        return memory;
    }

    public void setMemory(String memory) {
        this.memory = memory;
    }

    public AutoRestart getAutoRestart() {
        return autoRestart;
    }

    public void setAutoRestart(AutoRestart autoRestart) {
        this.autoRestart = autoRestart;
    }

    public Integer getShutdownTimeoutSeconds() {
        return shutdownTimeoutSeconds;
    }

    public void setShutdownTimeoutSeconds(Integer shutdownTimeoutSeconds) {
        this.shutdownTimeoutSeconds = shutdownTimeoutSeconds;
    }

    public List<String> getCommand() {
        return command;
    }

    public void setCommand(List<String> command) {
        this.command = command;
    }

    public List<String> getArgs() {
        return args;
    }

    public void setArgs(List<String> args) {
        this.args = args;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public List<Toleration> getTolerations() {
        return tolerations;
    }

    public void setTolerations(List<Toleration> tolerations) {
        this.tolerations = tolerations;
    }

    public Affinity getAffinity() {
        return affinity;
    }

    public void setAffinity(Affinity affinity) {
        this.affinity = affinity;
    }

    public List<TopologySpreadConstraint> getTopologySpreadConstraints() {
        return topologySpreadConstraints;
    }

    public void setTopologySpreadConstraints(List<TopologySpreadConstraint> topologySpreadConstraints) {
        this.topologySpreadConstraints = topologySpreadConstraints;
    }

    public String getPriorityClassName() {
        return priorityClassName;
    }

    public void setPriorityClassName(String priorityClassName) {
        this.priorityClassName = priorityClassName;
    }

    public Map<String, String> getPodLabels() {
        return podLabels;
    }

    public void setPodLabels(Map<String, String> podLabels) {
        this.podLabels = podLabels;
    }

    public Map<String, String> getPodAnnotations() {
        return podAnnotations;
    }

    public void setPodAnnotations(Map<String, String> podAnnotations) {
        this.podAnnotations = podAnnotations;
    }
}

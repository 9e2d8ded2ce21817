package io.streamback.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/**
 * The spec fields every kind that runs Streamback worker pods shares: where the streams are, and the image,
 * identity, resources and environment of the worker container. Each kind's spec adds its own fields.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class WorkerPodSpec {

    @JsonPropertyDescription("The streams URL written inline, e.g. main=kafka://kafka:9092&feedback=redis://redis:6379. "
            + "It is stored in plain text in this resource and the pod specs made from it: prefer streamsSecretRef. "
            + "Set exactly one of streams and streamsSecretRef.")
    private String streams;

    @JsonPropertyDescription("The streams URL from a Secret key, passed to the pods as a secretKeyRef (recommended). "
            + "Set exactly one of streams and streamsSecretRef.")
    private StreamsSecretRef streamsSecretRef;

    @Pattern("^\\S+$")
    @JsonPropertyDescription("Container image of the worker; its entrypoint is the Streamback CLI. A listener's "
            + "image holds your listeners, e.g. example/billing-listeners:1.4.2. "
            + "Default: the operator's worker image (STREAMBACK_WORKER_IMAGE).")
    private String image;

    @JsonPropertyDescription("Image pull policy of the worker container: Always, IfNotPresent or Never. "
            + "Default: Kubernetes' own default for the image's tag.")
    private ImagePullPolicy imagePullPolicy;

    @JsonPropertyDescription("Secrets in the resource's namespace that hold registry credentials for the image "
            + "(standard Kubernetes LocalObjectReference list).")
    private List<LocalObjectReference> imagePullSecrets;

    @JsonPropertyDescription("Service account the pods run as. Default: the namespace's default service account.")
    private String serviceAccountName;

    @JsonPropertyDescription("Compute resources of the worker container (standard Kubernetes ResourceRequirements). "
            + "On a listener, autoRestart.maxMemoryMb overrides limits.memory.")
    private ResourceRequirements resources;

    @JsonPropertyDescription("Extra environment variables of the worker container (standard Kubernetes EnvVar list), "
            + "e.g. a listener's STREAMBACK_APP. The variables the operator sets may not be repeated here.")
    private List<EnvVar> env;

    // Kept schemaless, as the full PodTemplateSpec schema would multiply the CRD's size; the operator
    // reads it as a PodTemplateSpec and reports what does not fit as a condition.
    @PreserveUnknownFields
    @JsonPropertyDescription("Pod template overlay (a partial Kubernetes PodTemplateSpec) for pod fields the operator "
            + "does not model, e.g. spec.hostNetwork, tolerations, affinity, extra volumes, sidecar containers, "
            + "or fields of the worker container (a container named worker). The operator's own fields win: its "
            + "labels, annotations, containers, env vars and volumes are laid over this, items of named lists "
            + "(containers, env, volumes, volumeMounts, ...) merged by name.")
    private ObjectNode podTemplate;

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

    public ObjectNode getPodTemplate() {
        return podTemplate;
    }

    public void setPodTemplate(ObjectNode podTemplate) {
        this.podTemplate = podTemplate;
    }
}

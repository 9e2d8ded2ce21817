package io.streamback.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A Streamback listener application running in the cluster: a Deployment of {@code concurrency}
 * worker pods (or as many as {@code autoscaling} decides from the lag) that consume the listed
 * topics as one Kafka consumer group.
 *
 * <pre>
 * kubectl get streambacklisteners        # or: kubectl get sbl
 * kubectl scale sbl/billing --replicas=5 # the scale subresource sets spec.concurrency
 * kubectl get sbl -o wide                # with autoscaling: the lag and the pods decided on
 * </pre>
 */
@Group(StreambackListener.GROUP)
@Version(StreambackListener.VERSION)
@ShortNames({"sbl", "sblistener"})
@AdditionalPrinterColumn(name = "Concurrency", jsonPath = ".spec.concurrency", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyReplicas", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Lag", jsonPath = ".status.lag", type = Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "Desired", jsonPath = ".status.desiredReplicas", type = Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "Topics", jsonPath = ".spec.topics", priority = 1)
@AdditionalPrinterColumn(name = "Image", jsonPath = ".spec.image", priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class StreambackListener extends CustomResource<StreambackListenerSpec, StreambackListenerStatus>
        implements Namespaced {

    public static final String GROUP = "streamback.io";
    public static final String VERSION = "v1alpha1";
}

package io.streamback.operator.crd;

/** A container's image pull policy, spelled as Kubernetes spells it. */
public enum ImagePullPolicy {
    Always,
    IfNotPresent,
    Never
}

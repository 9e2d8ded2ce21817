package io.streamback.operator.common;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.streamback.config.InvalidStreamsUrlException;
import io.streamback.config.RedisEndpoint;
import io.streamback.config.StreamsUrl;
import io.streamback.operator.crd.StreamsSecretRef;
import io.streamback.operator.crd.WorkerPodSpec;
import io.streamback.operator.dependent.PodTemplateOverlay;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks both kinds of resource share. The CRD schema enforces most of them already; the operator
 * checks again because a schema can be bypassed (an old CRD, a server that does not validate) and
 * because some rules need the operator's configuration (the default image).
 */
public final class SpecChecks {

    /** Longest name usable as a label value (the app.kubernetes.io/instance label). */
    public static final int MAX_NAME_LENGTH = 63;
    private static final Pattern NO_WHITESPACE = Pattern.compile("\\S+");

    private SpecChecks() {
    }

    public static void name(List<SpecProblem> problems, String name, int maxLength, String why) {
        if (name.length() > maxLength) {
            problems.add(SpecProblem.invalid("metadata.name",
                    "\"" + name + "\" is longer than " + maxLength + " characters, " + why));
        }
    }

    /**
     * Exactly one of the inline streams URL and the Secret reference; an inline URL must parse
     * and hold no credentials, which would sit in plain text in the resource and its pods' spec.
     * No message repeats the URL, so that nothing of a password reaches a status or an Event.
     */
    public static void streams(List<SpecProblem> problems, WorkerPodSpec spec) {
        String inline = spec.getStreams();
        StreamsSecretRef secretRef = spec.getStreamsSecretRef();
        boolean hasInline = inline != null && !inline.isBlank();
        if (hasInline == (secretRef != null)) {
            problems.add(SpecProblem.invalid("spec.streams, spec.streamsSecretRef",
                    hasInline ? "set only one of them" : "set one of them; streamsSecretRef is recommended"));
        } else if (secretRef != null && (secretRef.getName() == null || secretRef.getName().isBlank())) {
            problems.add(SpecProblem.invalid("spec.streamsSecretRef.name", "the Secret's name is required"));
        } else if (hasInline) {
            inlineStreams(problems, inline);
        }
    }

    private static void inlineStreams(List<SpecProblem> problems, String inline) {
        StreamsUrl url;
        try {
            url = StreamsUrl.parse(inline);
        } catch (InvalidStreamsUrlException e) {
            problems.add(inline.contains("@") ? credentialsInline()
                    : SpecProblem.invalid("spec.streams", e.getMessage()));
            return;
        }
        if (url.main().sasl().isPresent() || url.feedback().map(RedisEndpoint::hasCredentials).orElse(false)) {
            problems.add(credentialsInline());
        }
    }

    private static SpecProblem credentialsInline() {
        return SpecProblem.invalid("spec.streams", "holds credentials, which would be stored and shown in plain "
                + "text: put the streams URL in a Secret and name it in spec.streamsSecretRef");
    }

    /** A spec.podTemplate that reads as a pod template. */
    public static void podTemplate(List<SpecProblem> problems, WorkerPodSpec spec) {
        PodTemplateOverlay.problem(spec.getPodTemplate())
                .ifPresent(problem -> problems.add(SpecProblem.invalid("spec.podTemplate", problem)));
    }

    /** The image to run: the resource's own or the operator's default, without whitespace. */
    public static void image(List<SpecProblem> problems, String specImage, Optional<String> effective) {
        if (effective.isEmpty()) {
            problems.add(SpecProblem.invalid("spec.image",
                    "not set, and the operator has no default worker image (STREAMBACK_WORKER_IMAGE)"));
        } else if (!NO_WHITESPACE.matcher(effective.get()).matches()) {
            problems.add(SpecProblem.invalid("spec.image", "\"" + specImage + "\" is not an image reference"));
        }
    }

    /** {@code spec.env}: named, and not one of the variables the operator sets itself. */
    public static void env(List<SpecProblem> problems, List<EnvVar> env, Set<String> reserved) {
        if (env == null) {
            return;
        }
        for (int i = 0; i < env.size(); i++) {
            String name = env.get(i).getName();
            if (name == null || name.isBlank()) {
                problems.add(SpecProblem.invalid("spec.env[" + i + "].name", "required"));
            } else if (reserved.contains(name)) {
                problems.add(SpecProblem.invalid("spec.env[" + i + "].name",
                        name + " is set by the operator from the spec; set the spec field instead"));
            }
        }
    }

    public static void matches(List<SpecProblem> problems, String field, String value, String pattern, String what) {
        if (value != null && !Pattern.compile(pattern).matcher(value).matches()) {
            problems.add(SpecProblem.invalid(field, "\"" + value + "\" is not " + what));
        }
    }
}

package io.streamback.operator.listener;

import io.fabric8.kubernetes.api.model.Quantity;
import io.streamback.internal.config.WorkerEnvironment;
import io.streamback.operator.autoscaling.AutoscalingValidator;
import io.streamback.operator.common.SpecChecks;
import io.streamback.operator.common.SpecProblem;
import io.streamback.operator.crd.AutoRestart;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.crd.StreambackListenerSpec;
import io.streamback.operator.dependent.ListenerDeploymentDependent;
import io.streamback.operator.dependent.WorkerDefaults;
import io.streamback.operator.dependent.WorkerPods;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Finds what keeps a listener's spec from becoming a Deployment, naming each field at fault. */
final class ListenerSpecValidator {

    private ListenerSpecValidator() {
    }

    static List<SpecProblem> validate(StreambackListener listener, WorkerDefaults defaults) {
        List<SpecProblem> problems = new ArrayList<>();
        StreambackListenerSpec spec = listener.getSpec();
        if (spec == null) {
            problems.add(SpecProblem.invalid("spec", "required"));
            return problems;
        }
        SpecChecks.name(problems, listener.getMetadata().getName(), SpecChecks.MAX_NAME_LENGTH,
                "the longest label value");
        topics(problems, spec.getTopics());
        SpecChecks.matches(problems, "spec.group", spec.getGroup(), StreambackListenerSpec.GROUP_PATTERN,
                "a consumer group name (letters, digits, '.', '_', '-')");
        SpecChecks.streams(problems, spec);
        SpecChecks.image(problems, spec.getImage(), defaults.imageFor(spec.getImage()));
        SpecChecks.podTemplate(problems, spec);
        if (spec.getConcurrency() != null && spec.getConcurrency() < 0) {
            problems.add(SpecProblem.invalid("spec.concurrency", spec.getConcurrency() + " is negative"));
        }
        if (spec.getShutdownTimeoutSeconds() != null && spec.getShutdownTimeoutSeconds() < 1) {
            problems.add(SpecProblem.invalid("spec.shutdownTimeoutSeconds", "must be at least 1"));
        } else if (spec.getShutdownTimeoutSeconds() != null
                && spec.getShutdownTimeoutSeconds() > WorkerEnvironment.MAX_SHUTDOWN_TIMEOUT_SECONDS) {
            // The worker would refuse it at start, and its pods would crash-loop.
            problems.add(SpecProblem.invalid("spec.shutdownTimeoutSeconds",
                    "must be at most " + WorkerEnvironment.MAX_SHUTDOWN_TIMEOUT_SECONDS + ", the worker's limit"));
        }
        SpecChecks.matches(problems, "spec.memory", spec.getMemory(), StreambackListenerSpec.QUANTITY_PATTERN,
                "a memory quantity such as 512Mi");
        autoRestart(problems, spec);
        // spec.concurrency beside autoscaling is no problem of the spec: autoscaling wins (ListenerAutoscaling).
        AutoscalingValidator.validate(problems, spec.getAutoscaling());
        SpecChecks.env(problems, spec.getEnv(), WorkerPods.OPERATOR_VARIABLES);
        return problems;
    }

    private static void topics(List<SpecProblem> problems, List<String> topics) {
        if (topics == null || topics.isEmpty()) {
            problems.add(SpecProblem.invalid("spec.topics", "at least one topic is required"));
            return;
        }
        for (int i = 0; i < topics.size(); i++) {
            SpecChecks.matches(problems, "spec.topics[" + i + "]", topics.get(i) == null ? "" : topics.get(i),
                    StreambackListenerSpec.TOPIC_PATTERN, "a Kafka topic name (letters, digits, '.', '_', '-')");
        }
    }

    private static void autoRestart(List<SpecProblem> problems, StreambackListenerSpec spec) {
        AutoRestart autoRestart = spec.getAutoRestart();
        if (autoRestart == null) {
            return;
        }
        if (autoRestart.getMaxSeconds() != null && autoRestart.getMaxSeconds() < AutoRestart.MIN_SECONDS) {
            problems.add(SpecProblem.invalid("spec.autoRestart.maxSeconds",
                    autoRestart.getMaxSeconds() + " is below the minimum of " + AutoRestart.MIN_SECONDS));
        }
        Integer maxMemoryMb = autoRestart.getMaxMemoryMb();
        if (maxMemoryMb != null && maxMemoryMb < AutoRestart.MIN_MEMORY_MB) {
            problems.add(SpecProblem.invalid("spec.autoRestart.maxMemoryMb",
                    maxMemoryMb + " is below the minimum of " + AutoRestart.MIN_MEMORY_MB));
        } else if (maxMemoryMb != null && problems.stream().noneMatch(p -> p.field().equals("spec.memory"))) {
            var requests = ListenerDeploymentDependent.resources(spec).getRequests();
            Quantity request = requests == null ? null : requests.get("memory");
            BigDecimal limitBytes = BigDecimal.valueOf(maxMemoryMb).multiply(BigDecimal.valueOf(1024L * 1024L));
            try {
                if (request != null && Quantity.getAmountInBytes(request).compareTo(limitBytes) > 0) {
                    problems.add(SpecProblem.invalid("spec.autoRestart.maxMemoryMb", maxMemoryMb
                            + " MiB is below the container's memory request of " + request));
                }
            } catch (IllegalArgumentException e) {
                problems.add(SpecProblem.invalid("spec.resources.requests.memory",
                        "\"" + request + "\" is not a quantity"));
            }
        }
    }
}

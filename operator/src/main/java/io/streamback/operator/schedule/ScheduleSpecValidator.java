package io.streamback.operator.schedule;

import io.streamback.internal.config.WorkerEnvironment;
import io.streamback.operator.common.SpecChecks;
import io.streamback.operator.common.SpecProblem;
import io.streamback.operator.crd.StreambackListenerSpec;
import io.streamback.operator.crd.StreambackSchedule;
import io.streamback.operator.crd.StreambackScheduleSpec;
import io.streamback.operator.dependent.WorkerDefaults;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Finds what keeps a schedule's spec from becoming a CronJob or a scheduler Deployment. */
final class ScheduleSpecValidator {

    /** A CronJob's name leaves room for the 11 characters its Jobs add. */
    static final int MAX_NAME_LENGTH = 52;

    private ScheduleSpecValidator() {
    }

    static List<SpecProblem> validate(StreambackSchedule schedule, WorkerDefaults defaults) {
        List<SpecProblem> problems = new ArrayList<>();
        StreambackScheduleSpec spec = schedule.getSpec();
        if (spec == null) {
            problems.add(SpecProblem.invalid("spec", "required"));
            return problems;
        }
        SpecChecks.name(problems, schedule.getMetadata().getName(), MAX_NAME_LENGTH, "the longest CronJob name");
        try {
            CronSchedule.parse(spec.getWhen());
        } catch (IllegalArgumentException e) {
            problems.add(SpecProblem.invalid("spec.when", e.getMessage()));
        }
        if (spec.getThen() == null || spec.getThen().isBlank()) {
            problems.add(SpecProblem.invalid("spec.then", "the topic to send to is required"));
        } else {
            SpecChecks.matches(problems, "spec.then", spec.getThen(), StreambackListenerSpec.TOPIC_PATTERN,
                    "a Kafka topic name (letters, digits, '.', '_', '-')");
        }
        if (spec.getTimeZone() != null) {
            try {
                ZoneId.of(spec.getTimeZone());
            } catch (DateTimeException e) {
                problems.add(SpecProblem.invalid("spec.timeZone", "unknown time zone \"" + spec.getTimeZone() + "\""));
            }
        }
        SpecChecks.streams(problems, spec);
        SpecChecks.image(problems, spec.getImage(), defaults.imageFor(spec.getImage()));
        SpecChecks.podTemplate(problems, spec);
        SpecChecks.env(problems, spec.getEnv(), Set.of(WorkerEnvironment.STREAMS, WorkerEnvironment.NAME,
                WorkerEnvironment.HTTP_PORT, WorkerEnvironment.CA_FILE));
        return problems;
    }
}

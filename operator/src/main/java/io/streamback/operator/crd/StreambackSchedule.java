package io.streamback.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A message sent on a timetable: {@code then} receives {@code args} at every occurrence of the
 * cron expression {@code when}. Minute-granularity schedules run as a CronJob of
 * {@code streamback send}; schedules that need seconds run as a one-pod scheduler Deployment of
 * {@code streamback schedule}.
 */
@Group(StreambackListener.GROUP)
@Version(StreambackListener.VERSION)
@ShortNames({"sbs", "sbschedule"})
@AdditionalPrinterColumn(name = "When", jsonPath = ".spec.when")
@AdditionalPrinterColumn(name = "Then", jsonPath = ".spec.then")
@AdditionalPrinterColumn(name = "Suspend", jsonPath = ".spec.suspend", type = Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Runs As", jsonPath = ".status.runsAs")
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
// A string, not a date: kubectl prints a date column as an age, and a future time as <invalid>.
@AdditionalPrinterColumn(name = "Next", jsonPath = ".status.nextScheduleTime")
@AdditionalPrinterColumn(name = "Last", jsonPath = ".status.lastScheduleTime", type = Type.DATE, priority = 1)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class StreambackSchedule extends CustomResource<StreambackScheduleSpec, StreambackScheduleStatus>
        implements Namespaced {
}

package io.streamback.operator.testing;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.streamback.operator.crd.StreambackListener;
import io.streamback.operator.crd.StreambackListenerSpec;
import io.streamback.operator.crd.StreambackSchedule;
import io.streamback.operator.crd.StreambackScheduleSpec;
import io.streamback.operator.crd.StreamsSecretRef;
import java.util.List;

/** Custom resources for tests. */
public final class TestResources {

    public static final String STREAMS_URL = "main=kafka://kafka:9092&feedback=redis://redis:6379";
    public static final String SECRET = "streamback-streams";

    private TestResources() {
    }

    /** A listener of {@code topics} taking its streams URL from the Secret {@link #SECRET}. */
    public static StreambackListener listener(String namespace, String name, String... topics) {
        StreambackListenerSpec spec = new StreambackListenerSpec();
        spec.setTopics(List.of(topics));
        spec.setStreamsSecretRef(new StreamsSecretRef(SECRET, "streams"));
        StreambackListener listener = new StreambackListener();
        listener.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        listener.setSpec(spec);
        return listener;
    }

    /** A schedule sending to {@code then} at {@code when}, streams URL from {@link #SECRET}. */
    public static StreambackSchedule schedule(String namespace, String name, String when, String then) {
        StreambackScheduleSpec spec = new StreambackScheduleSpec();
        spec.setWhen(when);
        spec.setThen(then);
        spec.setStreamsSecretRef(new StreamsSecretRef(SECRET, "streams"));
        StreambackSchedule schedule = new StreambackSchedule();
        schedule.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        schedule.setSpec(spec);
        return schedule;
    }
}

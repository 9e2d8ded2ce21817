package io.streamback.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** When listener pods are recycled: after an age, above a memory size, or both. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AutoRestart {

    /** The shortest age the operator rolls pods at: shorter would keep a listener rebalancing. */
    public static final long MIN_SECONDS = 60;
    /** The smallest memory limit a JVM worker can sensibly run in. */
    public static final int MIN_MEMORY_MB = 64;

    @Min(MIN_SECONDS)
    @JsonPropertyDescription("Recycle the listener after this many seconds: the worker restarts its consumers "
            + "at this age (STREAMBACK_MAX_SECONDS), and the operator rolls the Deployment's pods at the "
            + "same interval, a few at a time, as kubectl rollout restart does. At least 60.")
    private Long maxSeconds;

    @Min(MIN_MEMORY_MB)
    @JsonPropertyDescription("Memory limit of each listener container, in MiB; it takes precedence over "
            + "resources.limits.memory and memory. The worker recycles its consumers before the kernel would "
            + "kill it, at 90% of this value (STREAMBACK_MAX_MEMORY_MB). At least 64.")
    private Integer maxMemoryMb;

    public AutoRestart() {
    }

    public AutoRestart(Long maxSeconds, Integer maxMemoryMb) {
        this.maxSeconds = maxSeconds;
        this.maxMemoryMb = maxMemoryMb;
    }

    public Long getMaxSeconds() {
        return maxSeconds;
    }

    public void setMaxSeconds(Long maxSeconds) {
        this.maxSeconds = maxSeconds;
    }

    public Integer getMaxMemoryMb() {
        return maxMemoryMb;
    }

    public void setMaxMemoryMb(Integer maxMemoryMb) {
        this.maxMemoryMb = maxMemoryMb;
    }
}

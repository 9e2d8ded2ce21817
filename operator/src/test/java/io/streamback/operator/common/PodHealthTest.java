package io.streamback.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the operator tells of pods that are not ready, from the statuses a kubelet writes. */
class PodHealthTest {

    static Pod pod(String name, ContainerStatus container) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().withPhase("Pending").withContainerStatuses(container).endStatus()
                .build();
    }

    static ContainerStatus waiting(String reason, String message) {
        return new ContainerStatusBuilder().withName("worker").withImage("example/orders:nope").withReady(false)
                .withRestartCount(0)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
                .build();
    }

    static ContainerStatus crashLooping(int exitCode, String message) {
        return new ContainerStatusBuilder().withName("worker").withImage("example/orders:1").withReady(false)
                .withRestartCount(3)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .withMessage("back-off 40s restarting failed container=worker").endWaiting().endState()
                .withNewLastState().withNewTerminated().withExitCode(exitCode).withReason("Error")
                .withMessage(message).endTerminated().endLastState()
                .build();
    }

    @Test
    void anImageThatCannotBePulledIsNamedWithTheKubeletsMessage() {
        Optional<PodHealth.Problem> problem = PodHealth.problem(List.of(pod("orders-1", waiting("ErrImageNeverPull",
                "Container image \"example/orders:nope\" is not present with pull policy of Never"))));

        assertThat(problem).contains(new PodHealth.Problem(PodHealth.IMAGE_PULL_FAILED,
                "pod orders-1: image \"example/orders:nope\" cannot be pulled (ErrImageNeverPull: Container image"
                        + " \"example/orders:nope\" is not present with pull policy of Never)"));
    }

    @Test
    void aCrashingWorkerIsToldByItsExitCodeAndTerminationMessage() {
        Optional<PodHealth.Problem> problem = PodHealth.problem(List.of(
                pod("orders-2", crashLooping(1, "Cannot start: Kafka kafka:9092 is unreachable\n")),
                pod("orders-1", crashLooping(1, "Cannot start: Kafka kafka:9092 is unreachable\n"))));

        assertThat(problem).contains(new PodHealth.Problem(PodHealth.PODS_FAILING,
                "pod orders-1: container \"worker\" exited with code 1: Cannot start: Kafka kafka:9092 is unreachable"
                        + " (and 1 more pod)"));
    }

    @Test
    void whileTheCrashedWorkerRunsAgainItStillCountsAsFailing() {
        ContainerStatus runningAgain = new ContainerStatusBuilder(crashLooping(1, "Cannot start: x"))
                .withNewState().withNewRunning().withStartedAt("2030-01-01T10:00:00Z").endRunning().endState()
                .build();
        assertThat(PodHealth.problem(List.of(pod("orders-1", runningAgain))))
                .map(PodHealth.Problem::reason).contains(PodHealth.PODS_FAILING);

        ContainerStatus recovered = new ContainerStatusBuilder(runningAgain).withReady(true).build();
        assertThat(PodHealth.problem(List.of(pod("orders-1", recovered)))).isEmpty();
    }

    @Test
    void theWorkersRecycleOnMemoryIsNoFailure() {
        assertThat(PodHealth.problem(List.of(pod("orders-1", crashLooping(75, "memory above the limit")))))
                .isEmpty();
    }

    @Test
    void theWorstProblemWinsAndAKilledContainerIsToldByItsReason() {
        ContainerStatus killed = new ContainerStatusBuilder(crashLooping(137, null))
                .editLastState().editTerminated().withReason("OOMKilled").endTerminated().endLastState().build();
        List<Pod> pods = List.of(pod("a", killed), pod("b", waiting("ImagePullBackOff", "Back-off pulling image")));

        assertThat(PodHealth.problem(pods)).map(PodHealth.Problem::reason).contains(PodHealth.IMAGE_PULL_FAILED);
        assertThat(PodHealth.problem(List.of(pods.get(0)))).map(PodHealth.Problem::message)
                .contains("pod a: container \"worker\" exited with code 137 (OOMKilled)");
    }

    @Test
    void aLongLogTailKeepsItsEnd() {
        String tail = "x".repeat(1000) + " the end";
        String message = PodHealth.problem(List.of(pod("a", crashLooping(1, tail)))).orElseThrow().message();
        assertThat(message).endsWith(": ..." + "x".repeat(PodHealth.MAX_TERMINATION_MESSAGE - 8) + " the end")
                .hasSizeLessThan(PodHealth.MAX_TERMINATION_MESSAGE + 60);
    }

    @Test
    void aMissingSecretKeyAndAnUnschedulablePodAreProblemsAPendingPodIsNot() {
        assertThat(PodHealth.problem(List.of(pod("a", waiting("CreateContainerConfigError",
                "couldn't find key streams in Secret ns/s"))))).map(PodHealth.Problem::message)
                .contains("pod a: container \"worker\" cannot start (CreateContainerConfigError: couldn't find key"
                        + " streams in Secret ns/s)");

        Pod unschedulable = new PodBuilder().withNewMetadata().withName("a").endMetadata()
                .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/1 nodes are available: 1 Insufficient memory.")
                .endCondition().endStatus().build();
        assertThat(PodHealth.problem(List.of(unschedulable))).contains(new PodHealth.Problem(
                PodHealth.PODS_UNSCHEDULABLE, "pod a: cannot be scheduled: 0/1 nodes are available: 1 Insufficient memory."));

        assertThat(PodHealth.problem(List.of(pod("a", waiting("ContainerCreating", null))))).isEmpty();
    }
}

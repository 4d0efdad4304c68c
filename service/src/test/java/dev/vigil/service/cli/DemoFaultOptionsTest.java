package dev.vigil.service.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.trainingdata.sim.Fault;
import dev.vigil.trainingdata.sim.Topology;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoFaultOptionsTest {
  private static Args args(String... argv) throws UsageException {
    return Args.parse(
        "demo",
        List.of(argv),
        Set.of("no-fault"),
        Set.of("fault", "alertmanager-url", "webhook-url", "slack-url"));
  }

  @Test
  void faultMayBeRepeatedForSimultaneousFaults() throws Exception {
    assertThat(
            DemoCommand.faults(
                args("--fault", "latency:catalog", "--fault=errors:payment"), Topology.shop()))
        .containsExactly(Fault.latency("catalog"), Fault.errors("payment"));
    assertThat(DemoCommand.faults(args(), Topology.shop()))
        .containsExactly(Fault.latency("catalog"));
    assertThat(DemoCommand.faults(args("--no-fault"), Topology.shop())).isEmpty();
  }

  @Test
  void contradictoryOrDuplicateFaultsAreUsageErrors() {
    assertThatThrownBy(
            () -> DemoCommand.faults(args("--no-fault", "--fault", "errors:ad"), Topology.shop()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("contradict");
    assertThatThrownBy(
            () ->
                DemoCommand.faults(
                    args("--fault", "errors:ad", "--fault", "latency:ad"), Topology.shop()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("two faults in 'ad'");
  }

  @Test
  void sinkUrlsAreCheckedAsConfigurationKeys() {
    assertThatThrownBy(
            () ->
                ConfigOptions.load(
                    args("--alertmanager-url", "alertmanager:9093"),
                    java.util.Map.of(),
                    java.util.Map.of("sinks.alertmanager.url", "alertmanager:9093")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("'sinks.alertmanager.url'")
        .hasMessageContaining("http:// or https:// URL");
  }
}

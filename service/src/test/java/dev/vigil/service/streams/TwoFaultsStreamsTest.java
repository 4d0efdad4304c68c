package dev.vigil.service.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.KafkaTopics;
import dev.vigil.rca.Incident;
import dev.vigil.service.kafka.EmbeddedKafkaBroker;
import dev.vigil.trainingdata.sim.Fault;
import dev.vigil.trainingdata.sim.FaultSchedule;
import dev.vigil.trainingdata.sim.KafkaSpanExporter;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two simultaneous faults in separate branches of the simulated shop, through the service's Kafka
 * Streams topology on a real broker: a latency fault in catalog (below frontend and recommendation)
 * and an error fault in payment (below checkout). Each must open its own incident with its own root
 * cause first, and both must resolve once the faults end.
 */
@Tag("integration")
class TwoFaultsStreamsTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final Duration WARM_UP = Duration.ofMinutes(20);
  private static final Duration FAULT = Duration.ofMinutes(5);
  private static final Duration AFTER = Duration.ofMinutes(4);
  @TempDir Path state;

  @Test
  void twoFaultsInSeparateBranchesOpenTwoIncidentsEachWithItsOwnRootCause() throws Exception {
    Instant faultAt = START.plus(WARM_UP);
    Instant faultEnd = faultAt.plus(FAULT);
    List<Incident> reports = new CopyOnWriteArrayList<>();
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      KafkaTopics.ensure(bootstrap, List.of(KafkaTopics.OTLP_SPANS), 3, (short) 1);
      try (VigilStreams streams =
          StreamsPipelineTest.startReportingIncidents(
              bootstrap, "two-faults", state.resolve("a"), reports)) {
        MicroserviceSimulator sim =
            MicroserviceSimulator.builder()
                .topology(Topology.shop())
                .exporter(new KafkaSpanExporter(bootstrap, KafkaTopics.OTLP_SPANS))
                .startTime(START)
                .faults(
                    FaultSchedule.allBetween(
                        List.of(Fault.latency("catalog"), Fault.errors("payment")),
                        faultAt,
                        faultEnd))
                .build();
        sim.runFor(WARM_UP.plus(FAULT).plus(AFTER));
        long spans = sim.spans();
        sim.close();
        StreamsPipelineTest.await(
            () -> streams.meters().spans() == spans,
            Duration.ofMinutes(8),
            "every span: " + spans + " sent");
        // The last windows close once the partitions are idle; both incidents resolve by then.
        StreamsPipelineTest.await(
            () -> latest(reports).size() >= 2 && resolved(latest(reports)),
            Duration.ofMinutes(3),
            "two incidents, resolved: " + describe(latest(reports)));
      }
    }

    Map<String, Incident> latest = latest(reports);
    String seen = describe(latest);
    assertThat(reports)
        .as("no incident before the faults: %s", seen)
        .noneMatch(i -> i.startedAt().isBefore(faultAt));
    assertThat(latest).as("one incident per fault: %s", seen).hasSize(2);
    assertThat(latest.values())
        .as("%s", seen)
        .extracting(Incident::topCause)
        .containsExactlyInAnyOrder("catalog", "payment");
    assertThat(latest.values())
        .as("both resolve after the faults end: %s", seen)
        .allSatisfy(
            i -> {
              assertThat(i.status()).isEqualTo(Incident.RESOLVED);
              assertThat(i.resolvedAt()).isAfter(faultEnd);
              assertThat(i.affectedServices()).contains(i.topCause());
            });
    for (Incident i : latest.values()) {
      Incident first = reports.stream().filter(r -> r.id().equals(i.id())).findFirst().get();
      assertThat(first.topCause()).as("first report of %s", seen).isEqualTo(i.topCause());
    }
  }

  private static Map<String, Incident> latest(List<Incident> reports) {
    Map<String, Incident> latest = new LinkedHashMap<>();
    reports.forEach(i -> latest.put(i.id(), i));
    return latest;
  }

  private static boolean resolved(Map<String, Incident> incidents) {
    return incidents.values().stream().allMatch(i -> Incident.RESOLVED.equals(i.status()));
  }

  private static String describe(Map<String, Incident> incidents) {
    return incidents.values().stream()
        .map(
            i ->
                i.id()
                    + " "
                    + i.status()
                    + " top="
                    + i.topCause()
                    + " affected="
                    + i.affectedServices()
                    + " "
                    + i.startedAt()
                    + ".."
                    + i.resolvedAt())
        .toList()
        .toString();
  }
}

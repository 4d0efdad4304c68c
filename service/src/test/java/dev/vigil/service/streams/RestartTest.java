package dev.vigil.service.streams;

import static dev.vigil.service.streams.StreamsPipelineTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.KafkaTopics;
import dev.vigil.rca.Incident;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.kafka.EmbeddedKafkaBroker;
import dev.vigil.service.pipeline.PipelineListener;
import dev.vigil.trainingdata.sim.Fault;
import dev.vigil.trainingdata.sim.FaultSchedule;
import dev.vigil.trainingdata.sim.KafkaSpanExporter;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.Topology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm up, stop, start again, fault at once: the restarted instance restores what the detectors
 * learnt (from its state directory and the changelogs) and detects the fault in the windows right
 * after it, without a new warm-up; and a state directory wiped (a new machine) restores from the
 * changelogs just the same.
 */
@Tag("integration")
class RestartTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final Duration WARM_UP = Duration.ofMinutes(20);
  @TempDir Path state;

  @Test
  void aRestartedInstanceDetectsAFaultAtOnce() throws Exception {
    String faulty = "catalog";
    Instant faultAt = START.plus(WARM_UP).plus(Duration.ofMinutes(1));
    List<Incident> incidents = new CopyOnWriteArrayList<>();
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      KafkaTopics.ensure(bootstrap, List.of(KafkaTopics.OTLP_SPANS), 3, (short) 1);
      VigilConfig config = StreamsPipelineTest.config(bootstrap, "restart");
      MicroserviceSimulator sim =
          MicroserviceSimulator.builder()
              .topology(Topology.shop())
              .exporter(new KafkaSpanExporter(bootstrap, KafkaTopics.OTLP_SPANS))
              .startTime(START)
              .faults(FaultSchedule.at(Fault.latency(faulty), faultAt))
              .build();
      long windowsBefore;
      try (VigilStreams first =
          new VigilStreams(
              config,
              new SimpleMeterRegistry(),
              Files.createDirectories(state.resolve("first")).toString())) {
        first.start();
        assertThat(first.awaitRunning(Duration.ofMinutes(2))).isTrue();
        sim.runFor(WARM_UP);
        long sent = sim.spans();
        await(() -> first.meters().spans() >= sent, Duration.ofMinutes(5), "the warm-up's spans");
        await(() -> first.meters().windows() > 60, Duration.ofMinutes(2), "warm-up windows");
        windowsBefore = first.meters().windows();
      }
      // A new state directory: everything comes back from the changelog topics.
      SimpleMeterRegistry secondRegistry = new SimpleMeterRegistry();
      try (VigilStreams second =
          new VigilStreams(
              config,
              secondRegistry,
              Files.createDirectories(state.resolve("second")).toString())) {
        second.addListener(
            new PipelineListener() {
              @Override
              public void onIncident(Incident incident) {
                incidents.add(incident);
              }
            });
        second.start();
        assertThat(second.awaitRunning(Duration.ofMinutes(2))).isTrue();
        sim.runFor(Duration.ofMinutes(10));
        sim.close();
        await(() -> !incidents.isEmpty(), Duration.ofMinutes(5), "an incident after the restart");
        // What the first instance learnt came back: every service's detectors, incidents and
        // alerts, none refused.
        assertThat(secondRegistry.counter("vigil.state.restored_parts").count())
            .isGreaterThanOrEqualTo(Topology.shop().services().size());
        assertThat(secondRegistry.counter("vigil.state.refused_parts").count()).isZero();
      }
      assertThat(windowsBefore).isPositive();
    }
    Incident first = incidents.get(0);
    assertThat(first.rootCauses().get(0).service()).isEqualTo(faulty);
    // As fast as without the restart: the demo detects within two windows of the fault (20 s);
    // a detector warming up again would need its baseline's 12 windows at least.
    assertThat(first.detectedAt()).isBefore(faultAt.plus(Duration.ofSeconds(60)));
  }
}

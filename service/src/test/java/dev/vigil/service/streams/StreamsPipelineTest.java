package dev.vigil.service.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.KafkaTopics;
import dev.vigil.rca.Incident;
import dev.vigil.service.config.ConfigLoader;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.kafka.EmbeddedKafkaBroker;
import dev.vigil.service.pipeline.PipelineListener;
import dev.vigil.trainingdata.sim.Fault;
import dev.vigil.trainingdata.sim.FaultSchedule;
import dev.vigil.trainingdata.sim.KafkaSpanExporter;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.Topology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's Kafka Streams topology on a real broker: the simulator's OpenTelemetry SDK spans go
 * to {@code otlp_spans}, are re-keyed by trace id over three trace partitions, windowed there,
 * merged in the window engine, and the incident names the service the latency was injected into.
 */
@Tag("integration")
class StreamsPipelineTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final Duration WARM_UP = Duration.ofMinutes(20);
  private static final Duration FAULT = Duration.ofMinutes(10);
  @TempDir Path state;

  static VigilConfig config(String bootstrap, String appId) {
    return ConfigLoader.builder()
        .flag("kafka.bootstrap-servers", bootstrap)
        .flag("kafka.application-id", appId)
        .flag("kafka.replication-factor", "1")
        // The simulator runs ~100x the wall clock; partitions fetched apart are minutes apart.
        .flag("windows.out-of-orderness", "2m")
        .load();
  }

  /** A started, running service on {@code bootstrap} whose incident reports go to {@code into}. */
  static VigilStreams startReportingIncidents(
      String bootstrap, String appId, Path stateDir, List<Incident> into) throws Exception {
    VigilStreams streams =
        new VigilStreams(
            config(bootstrap, appId),
            new SimpleMeterRegistry(),
            Files.createDirectories(stateDir).toString());
    streams.addListener(
        new PipelineListener() {
          @Override
          public void onIncident(Incident incident) {
            into.add(incident);
          }
        });
    streams.start();
    assertThat(streams.awaitRunning(Duration.ofMinutes(1))).isTrue();
    return streams;
  }

  static void await(BooleanSupplier condition, Duration timeout, String what) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  @Test
  void latencyInAMidGraphServiceOpensAnIncidentRankingThatServiceFirst() throws Exception {
    String faulty = "catalog";
    Instant faultAt = START.plus(WARM_UP);
    List<Incident> incidents = new CopyOnWriteArrayList<>();
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      KafkaTopics.ensure(bootstrap, List.of(KafkaTopics.OTLP_SPANS), 3, (short) 1);
      try (VigilStreams streams =
          startReportingIncidents(bootstrap, "streams-e2e", state.resolve("a"), incidents)) {
        MicroserviceSimulator sim =
            MicroserviceSimulator.builder()
                .topology(Topology.shop())
                .exporter(new KafkaSpanExporter(bootstrap, KafkaTopics.OTLP_SPANS))
                .startTime(START)
                .faults(FaultSchedule.at(Fault.latency(faulty), faultAt))
                .build();
        sim.runFor(WARM_UP.dividedBy(2));
        try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
          producer
              .send(
                  new ProducerRecord<>(
                      KafkaTopics.OTLP_SPANS, "not OTLP".getBytes(StandardCharsets.UTF_8)))
              .get();
        }
        sim.runFor(WARM_UP.dividedBy(2).plus(FAULT));
        long spans = sim.spans();
        sim.close();
        await(
            () -> streams.meters().spans() == spans,
            Duration.ofMinutes(8),
            "every span: " + spans + " sent");
        await(() -> !incidents.isEmpty(), Duration.ofMinutes(2), "an incident");
        // The simulator runs ~100x the wall clock: a stream thread that serves one input partition
        // a second after the others puts it minutes of event time behind. Some spans may then be
        // late (counted, not lost); the engine itself must not drop a partial.
        assertThat(streams.meters().latePartialSpans()).isZero();
        assertThat(streams.meters().lateSpans()).isLessThan(spans / 20);
        assertThat(streams.readiness().ready()).as("%s", streams.readiness()).isTrue();
      }
    }
    assertThat(incidents).noneMatch(i -> i.startedAt().isBefore(faultAt));
    Incident first = incidents.get(0);
    assertThat(first.rootCauses()).isNotEmpty();
    assertThat(first.rootCauses().get(0).service()).isEqualTo(faulty);
  }
}

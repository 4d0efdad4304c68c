package dev.vigil.service.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.features.FeatureConfig;
import dev.vigil.ingest.KafkaTelemetrySource;
import dev.vigil.ingest.KafkaTopics;
import dev.vigil.models.MonitorConfig;
import dev.vigil.nlq.Answer;
import dev.vigil.nlq.DiagnosticAnswerer;
import dev.vigil.rca.Incident;
import dev.vigil.service.kafka.EmbeddedKafkaBroker;
import dev.vigil.trainingdata.sim.Fault;
import dev.vigil.trainingdata.sim.FaultSchedule;
import dev.vigil.trainingdata.sim.KafkaSpanExporter;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.Topology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline on a real broker: the simulator's OpenTelemetry SDK spans go to {@code
 * otlp_spans} as OTLP protobuf, the ingest consumer decodes them, features, detectors and the
 * root-cause ranker run, and the incident names the service the latency was injected into.
 */
@Tag("integration")
class EndToEndPipelineTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final Duration WARM_UP = Duration.ofMinutes(20);
  private static final Duration FAULT = Duration.ofMinutes(5);

  @Test
  void latencyInAMidGraphServiceOpensOneIncidentRankingThatServiceFirst() throws Exception {
    String faulty = "catalog"; // called by frontend and recommendation, calls catalog-db
    Instant faultAt = START.plus(WARM_UP);
    List<Incident> incidents = new CopyOnWriteArrayList<>();
    // runFor produces simulated time as fast as it can, about 100x the wall clock on a loaded
    // machine, so a partition fetched a few hundred milliseconds after the others is tens of
    // simulated seconds behind: more than the default out-of-orderness (10 s, sized for live
    // traffic), and a trace whose child spans sit in that partition would be completed without
    // them, inflating its self time. Allow for the compressed clock.
    FeatureConfig features = FeatureConfig.defaults().withOutOfOrderness(Duration.ofMinutes(1));
    VigilPipeline pipeline =
        new VigilPipeline(features, MonitorConfig.defaults(), new SimpleMeterRegistry());
    pipeline.addListener(
        new PipelineListener() {
          @Override
          public void onIncident(Incident incident) {
            incidents.add(incident);
          }
        });

    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      KafkaTopics.ensure(bootstrap, List.of(KafkaTopics.OTLP_SPANS, KafkaTopics.DLQ), 3, (short) 1);
      try (KafkaTelemetrySource source =
          KafkaTelemetrySource.builder()
              .bootstrapServers(bootstrap)
              .groupId("e2e")
              .meterRegistry(new SimpleMeterRegistry())
              .build(pipeline)) {
        source.start();
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
                java.util.Map.of("bootstrap.servers", bootstrap),
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
        assertThat(source.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
        source.close();
        pipeline.flush();

        assertThat(pipeline.featureStats().spans()).isEqualTo(spans);
        assertThat(pipeline.featureStats().lateSpans()).as("%s", pipeline.featureStats()).isZero();
        assertThat(source.deadLetters()).isEqualTo(1);
      }
    }

    assertThat(incidents)
        .as(
            "no incident during the fault-free warm-up; got %s (%s)",
            incidents, pipeline.featureStats())
        .noneMatch(i -> i.startedAt().isBefore(faultAt));
    assertThat(incidents).isNotEmpty();
    Incident first = incidents.get(0);
    assertThat(first.rootCauses()).isNotEmpty();
    assertThat(first.rootCauses().get(0).service()).isEqualTo(faulty);
    assertThat(first.rootCauses().get(0).evidence()).isNotEmpty();
    assertThat(first.affectedServices()).contains(faulty);

    Answer answer =
        DiagnosticAnswerer.offline().answer("why is frontend slow?", pipeline.diagnosticContext());
    assertThat(answer.rootCause()).as("%s; incidents %s", answer, incidents).isEqualTo(faulty);
    assertThat(answer.text()).contains(faulty).contains(first.id());
  }
}

package dev.vigil.service.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.features.FeatureConfig;
import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.WindowFeatures;
import dev.vigil.ingest.KafkaTelemetrySource;
import dev.vigil.ingest.KafkaTopics;
import dev.vigil.models.MonitorConfig;
import dev.vigil.service.kafka.EmbeddedKafkaBroker;
import dev.vigil.trainingdata.sim.KafkaSpanExporter;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.Topology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Delivery on a real broker: a pipeline stopped in the middle of a stream (its open windows lost)
 * and a new one started in its place together count every request exactly once, window by window,
 * as one uninterrupted run does.
 */
@Tag("integration")
class RestartExactlyOnceTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  /**
   * Runs a pipeline over the topic with the given group; stops it after {@code stopAfter} windows.
   */
  private static List<WindowFeatures> run(String bootstrap, String group, int stopAfter)
      throws Exception {
    List<WindowFeatures> windows = new CopyOnWriteArrayList<>();
    VigilPipeline pipeline =
        new VigilPipeline(
            FeatureConfig.defaults(), MonitorConfig.defaults(), new SimpleMeterRegistry());
    AtomicReference<KafkaTelemetrySource> self = new AtomicReference<>();
    pipeline.addListener(
        new PipelineListener() {
          @Override
          public void onWindow(WindowFeatures window) {
            windows.add(window);
            if (windows.size() == stopAfter) {
              self.get().close(); // stop mid-stream, from the ingest thread, without a flush
            }
          }
        });
    try (KafkaTelemetrySource source =
        KafkaTelemetrySource.builder()
            .bootstrapServers(bootstrap)
            .groupId(group)
            .meterRegistry(new SimpleMeterRegistry())
            .build(pipeline)) {
      self.set(source);
      source.start();
      boolean caughtUp = source.awaitCaughtUp(Duration.ofMinutes(2));
      if (stopAfter == Integer.MAX_VALUE) {
        assertThat(caughtUp).isTrue();
        source.close();
        pipeline.flush();
        assertThat(pipeline.featureStats().lateSpans()).isZero();
      }
    }
    return windows;
  }

  /** Requests per window start and service. */
  private static Map<Instant, Map<String, Long>> requests(List<WindowFeatures> windows) {
    Map<Instant, Map<String, Long>> out = new TreeMap<>();
    for (WindowFeatures w : windows) {
      Map<String, Long> perService = new TreeMap<>();
      for (ServiceFeatures f : w.services().values()) {
        perService.put(f.service(), f.requests());
      }
      assertThat(out.put(w.start(), perService)).as("window %s emitted twice", w.start()).isNull();
    }
    return out;
  }

  @Test
  void aPipelineStoppedMidStreamAndRestartedCountsEveryRequestOnce() throws Exception {
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      KafkaTopics.ensure(bootstrap, List.of(KafkaTopics.OTLP_SPANS, KafkaTopics.DLQ), 3, (short) 1);
      try (MicroserviceSimulator sim =
          MicroserviceSimulator.builder()
              .topology(Topology.shop())
              .exporter(new KafkaSpanExporter(bootstrap, KafkaTopics.OTLP_SPANS))
              .startTime(START)
              .build()) {
        sim.runFor(Duration.ofMinutes(8));
      }

      Map<Instant, Map<String, Long>> expected =
          requests(run(bootstrap, "reference", Integer.MAX_VALUE));
      List<WindowFeatures> first = run(bootstrap, "vigil", 15);
      assertThat(first).hasSizeGreaterThanOrEqualTo(15).hasSizeLessThan(expected.size());
      List<WindowFeatures> both = new CopyOnWriteArrayList<>(first);
      both.addAll(run(bootstrap, "vigil", Integer.MAX_VALUE));

      assertThat(expected).hasSizeGreaterThan(40);
      Map<Instant, Map<String, Long>> got = requests(both);
      Map<Instant, String> differences = new TreeMap<>();
      for (Instant start : expected.keySet()) {
        if (!expected.get(start).equals(got.get(start))) {
          differences.put(start, expected.get(start) + " but got " + got.get(start));
        }
      }
      assertThat(differences).as("windows that differ; first run had %d", first.size()).isEmpty();
      assertThat(got.keySet()).isEqualTo(expected.keySet());
    }
  }
}

package dev.vigil.service.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.KafkaTopics;
import dev.vigil.models.ServiceFeatureSchema.Feature;
import dev.vigil.models.forecast.Forecaster;
import dev.vigil.models.forecast.PredictiveAlerter;
import dev.vigil.models.lstm.LstmIncrementConfig;
import dev.vigil.service.alerting.Alert;
import dev.vigil.service.kafka.EmbeddedKafkaBroker;
import dev.vigil.service.models.WarmUpForecaster;
import dev.vigil.service.pipeline.PipelineListener;
import dev.vigil.trainingdata.sim.Fault;
import dev.vigil.trainingdata.sim.FaultSchedule;
import dev.vigil.trainingdata.sim.KafkaSpanExporter;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.Topology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow latency ramp in catalog (a leak: +20 ms over 30 simulated minutes) through the service's
 * Kafka Streams topology on a real broker, with predictive alerts on and the forecaster trained as
 * the demo trains it: an increment LSTM on the run's own first 150 fault-free windows. The
 * predictive alert for catalog must come before catalog's threshold alert, carry the expected
 * crossing time, and resolve when the threshold alert fires. (How many predictive alerts a
 * fault-free run raises is measured by the evaluation, EVALUATION.md, not asserted here.)
 */
@Tag("integration")
class PredictiveAlertStreamsTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final Duration WARM_UP = Duration.ofMinutes(40);
  private static final Duration RAMP = Fault.DEFAULT_RAMP_DURATION;

  /**
   * The ramp's size after {@link #RAMP}: a slow burn (catalog's alert level is about 6 ms above its
   * usual p95, so the default +400 ms ramp crosses it 40 s after it starts, before any trend can be
   * seen; +20 ms crosses it after about 10 minutes).
   */
  private static final double RAMP_MILLIS = 20;

  @TempDir Path state;

  @Test
  void aRampYieldsAPredictiveAlertBeforeTheThresholdAlert() throws Exception {
    Instant faultAt = START.plus(WARM_UP);
    List<Alert> alerts = new CopyOnWriteArrayList<>();
    AtomicReference<Forecaster> forecaster = new AtomicReference<>();
    AtomicReference<String> failure = new AtomicReference<>();
    LstmIncrementConfig lstm = LstmIncrementConfig.builder().build();
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      KafkaTopics.ensure(bootstrap, List.of(KafkaTopics.OTLP_SPANS), 3, (short) 1);
      try (VigilStreams streams =
          new VigilStreams(
              StreamsPipelineTest.config(bootstrap, "predictive"),
              new SimpleMeterRegistry(),
              Files.createDirectories(state.resolve("a")).toString())) {
        streams.addListener(
            new PipelineListener() {
              @Override
              public void onAlert(Alert alert) {
                alerts.add(alert);
              }
            });
        streams.addListener(
            new WarmUpForecaster(
                2 * lstm.sequenceLength() + lstm.horizon(),
                List.of(Feature.P95_LATENCY),
                lstm,
                forecaster::set,
                new WarmUpForecaster.Report() {
                  @Override
                  public void trained(Forecaster f, int windows, int series, Duration took) {}

                  @Override
                  public void failed(String reason) {
                    failure.set(reason);
                  }
                },
                Clock.systemUTC()));
        streams.onEngine(
            p ->
                p.enablePredictiveAlerts(
                    new PredictiveAlerter(null, lstm.horizon(), List.of(Feature.P95_LATENCY)),
                    forecaster::get));
        streams.start();
        assertThat(streams.awaitRunning(Duration.ofMinutes(1))).isTrue();
        MicroserviceSimulator sim =
            MicroserviceSimulator.builder()
                .topology(Topology.shop())
                .exporter(new KafkaSpanExporter(bootstrap, KafkaTopics.OTLP_SPANS))
                .startTime(START)
                .faults(
                    FaultSchedule.at(
                        new Fault(Fault.Kind.RAMP, "catalog", RAMP_MILLIS, 0), faultAt))
                .build();
        sim.runFor(WARM_UP);
        StreamsPipelineTest.await(
            () -> forecaster.get() != null || failure.get() != null,
            Duration.ofMinutes(20),
            "the forecaster trained on the warm-up");
        assertThat(failure.get()).isNull();
        sim.runFor(RAMP.plusMinutes(5));
        long spans = sim.spans();
        sim.close();
        StreamsPipelineTest.await(
            () -> streams.meters().spans() == spans,
            Duration.ofMinutes(8),
            "every span: " + spans + " sent");
        StreamsPipelineTest.await(
            () -> alerts.stream().anyMatch(a -> threshold(a) && a.service().equals("catalog")),
            Duration.ofMinutes(2),
            "catalog's threshold alert");
      }
    }
    Alert firstThreshold =
        alerts.stream()
            .filter(a -> threshold(a) && a.service().equals("catalog"))
            .findFirst()
            .orElseThrow();
    Alert predicted =
        alerts.stream()
            .filter(a -> predictive(a) && a.service().equals("catalog"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no predictive alert for catalog: " + alerts));
    assertThat(predicted.startsAt()).isBefore(firstThreshold.startsAt());
    assertThat(predicted.labels())
        .containsEntry("kind", "predictive")
        .containsEntry("series", "p95_latency");
    assertThat(Instant.parse(predicted.annotations().get("expected_at")))
        .isAfter(predicted.startsAt());
    assertThat(alerts)
        .anyMatch(
            a ->
                predictive(a)
                    && a.id().equals(predicted.id())
                    && a.status().equals(Alert.RESOLVED)
                    && "threshold_alert".equals(a.annotations().get("resolution")));
  }

  private static boolean predictive(Alert a) {
    return "predictive".equals(a.labels().get("kind"));
  }

  private static boolean threshold(Alert a) {
    return !predictive(a) && a.event().equals(Alert.FIRED);
  }
}

package dev.vigil.service.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.features.FeatureConfig;
import dev.vigil.ingest.KafkaTelemetrySource;
import dev.vigil.ingest.KafkaTopics;
import dev.vigil.models.Anomaly;
import dev.vigil.models.MonitorConfig;
import dev.vigil.models.forecast.PredictiveAlerter;
import dev.vigil.models.lstm.LstmForecasterRecords;
import dev.vigil.models.registry.ForecasterSlot;
import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.models.registry.RegisteredModel;
import dev.vigil.models.registry.TrainedModelScorer;
import dev.vigil.models.retrain.ServiceRetrainer;
import dev.vigil.nlq.DiagnosticAnswerer;
import dev.vigil.service.Json;
import dev.vigil.service.cli.RetrainCommand;
import dev.vigil.service.http.HttpApi;
import dev.vigil.service.http.ModelsHandler;
import dev.vigil.service.kafka.EmbeddedKafkaBroker;
import dev.vigil.service.pipeline.PipelineListener;
import dev.vigil.service.pipeline.VigilPipeline;
import dev.vigil.trainingdata.sim.Fault;
import dev.vigil.trainingdata.sim.FaultSchedule;
import dev.vigil.trainingdata.sim.KafkaSpanExporter;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.OtlpFileSpanExporter;
import dev.vigil.trainingdata.sim.Topology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retraining during a run on a real broker: the first 40 simulated minutes go to Kafka and to an
 * OTLP file; {@code vigil retrain} trains on the file and promotes to the registry directory; the
 * running pipeline swaps the models in without a restart ({@code GET /api/models} shows them), and
 * the anomalies of a fault injected afterwards name the trained model among their detectors. The
 * forecaster of the predictive alerts that retrain trains and promotes (under the service {@code
 * *}) is swapped into the pipeline's predictive alerter the same way.
 */
@Tag("integration")
class HotSwapIntegrationTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  @Test
  void aModelPromotedDuringTheRunScoresTheNextAnomalies(@TempDir Path dir) throws Exception {
    Path history = Files.createDirectories(dir.resolve("history"));
    Path models = dir.resolve("models");
    String faulty = "catalog";
    Instant faultAt = START.plus(Duration.ofMinutes(45));
    List<Anomaly> anomalies = new CopyOnWriteArrayList<>();
    VigilPipeline pipeline =
        new VigilPipeline(
            FeatureConfig.defaults().withOutOfOrderness(Duration.ofMinutes(1)),
            MonitorConfig.defaults(),
            new SimpleMeterRegistry());
    pipeline.addListener(
        new PipelineListener() {
          @Override
          public void onAnomaly(Anomaly a) {
            anomalies.add(a);
          }
        });
    TrainedModelScorer scorer =
        new TrainedModelScorer(ServiceRetrainer.schema(), Clock.systemUTC());
    pipeline.useTrainedModels(scorer);
    // Predictive alerts on, with no forecaster until the registry has one.
    PredictiveAlerter alerter = PredictiveAlerter.p95(null);
    Duration window = FeatureConfig.defaults().window();
    ForecasterSlot forecaster =
        new ForecasterSlot(
            r -> LstmForecasterRecords.load(r, window, alerter.horizon()),
            f -> {},
            Clock.systemUTC());
    pipeline.enablePredictiveAlerts(alerter, () -> forecaster.forecaster().orElse(null));
    HttpClient http = HttpClient.newHttpClient();

    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker();
        ModelRegistryPoller poller =
            new ModelRegistryPoller(ModelRegistry.directory(models), scorer, forecaster);
        HttpApi api =
            HttpApi.builder()
                .port(0)
                .pipeline(pipeline)
                .answerer(DiagnosticAnswerer.offline())
                .registry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .route("/api/models", new ModelsHandler(scorer, forecaster))
                .build()) {
      api.start();
      assertThat(poller.start(Duration.ofMillis(200))).isEmpty();
      broker.start();
      String bootstrap = broker.bootstrapServers();
      KafkaTopics.ensure(bootstrap, List.of(KafkaTopics.OTLP_SPANS, KafkaTopics.DLQ), 3, (short) 1);
      URI modelsUri = URI.create("http://127.0.0.1:" + api.address().getPort() + "/api/models");
      assertThat(models(http, modelsUri)).isEmpty();
      OtlpFileSpanExporter file = new OtlpFileSpanExporter(history.resolve("traces.binpb"));
      try (KafkaTelemetrySource source =
          KafkaTelemetrySource.builder()
              .bootstrapServers(bootstrap)
              .groupId("hot-swap")
              .meterRegistry(new SimpleMeterRegistry())
              .build(pipeline)) {
        source.start();
        MicroserviceSimulator sim =
            MicroserviceSimulator.builder()
                .topology(Topology.shop())
                .exporter(
                    SpanExporter.composite(
                        new KafkaSpanExporter(bootstrap, KafkaTopics.OTLP_SPANS), file))
                .startTime(START)
                .faults(FaultSchedule.at(Fault.latency(faulty), faultAt))
                .build();
        sim.runFor(Duration.ofMinutes(40));
        file.flush();

        assertThat(
                RetrainCommand.run(
                    List.of(
                        "--input",
                        history.toString(),
                        "--registry",
                        models.toString(),
                        "--min-windows",
                        "60")))
            .isZero();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode shown = models(http, modelsUri);
        // The registry is written one service at a time, the forecaster last, and polled every
        // 200 ms: wait for the forecaster.
        while (!shown.toString().contains("\"service\":\"*\"") && System.nanoTime() < deadline) {
          java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
          shown = models(http, modelsUri);
        }
        assertThat(shown).isNotEmpty();
        JsonNode catalog = null;
        JsonNode lstm = null;
        for (JsonNode m : shown) {
          if (m.path("service").asText().equals(faulty)) {
            catalog = m;
          }
          if (m.path("service").asText().equals(RegisteredModel.ALL_SERVICES)) {
            lstm = m;
          }
        }
        // The forecaster of the predictive alerts: trained, evaluated and promoted by retrain.
        assertThat(lstm).as("%s", shown).isNotNull();
        assertThat(lstm.path("kind").asText()).isEqualTo(RegisteredModel.LSTM_FORECASTER);
        assertThat(lstm.path("version").asInt()).isEqualTo(1);
        assertThat(lstm.path("refused").isMissingNode()).isTrue();
        assertThat(lstm.path("evaluation").has("rampRecall")).isTrue();
        assertThat(lstm.path("evaluation").path("windows").asDouble()).isPositive();
        assertThat(lstm.path("provenance").path("trainerConfig").path("windowSize").asText())
            .isEqualTo(window.toString());
        assertThat(lstm.path("provenance").path("dataEnd").asText())
            .isLessThan(START.plus(Duration.ofMinutes(40)).toString());
        assertThat(catalog).as("%s", shown).isNotNull();
        assertThat(catalog.path("version").asInt()).isEqualTo(1);
        assertThat(catalog.path("since").asText()).isNotEmpty();
        assertThat(catalog.path("evaluation").path("f1").asDouble()).isPositive();
        String model = catalog.path("model").asText();

        sim.runFor(Duration.ofMinutes(15));
        sim.close();
        assertThat(source.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
        source.close();
        pipeline.flush();

        assertThat(anomalies)
            .as("anomalies of %s during the fault name %s", faulty, model)
            .anySatisfy(
                a -> {
                  assertThat(a.service()).isEqualTo(faulty);
                  assertThat(a.windowStart()).isAfterOrEqualTo(faultAt);
                  assertThat(a.detectors()).contains(model);
                });
        // The engine swapped the registry's forecaster in at its next window, without a restart.
        assertThat(alerter.ready()).isTrue();
        JsonNode after = models(http, modelsUri);
        for (JsonNode m : after) {
          if (m.path("service").asText().equals(faulty)) {
            assertThat(m.path("scoredWindows").asLong()).isPositive();
            assertThat(m.path("lastScore").has("calibratedScore")).isTrue();
          }
        }
      }
    }
  }

  private static JsonNode models(HttpClient http, URI uri) throws Exception {
    HttpResponse<String> r =
        http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body()).path("models");
  }
}

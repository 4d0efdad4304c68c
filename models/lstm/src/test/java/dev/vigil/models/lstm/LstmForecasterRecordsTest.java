package dev.vigil.models.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.IncompatibleModelException;
import dev.vigil.models.ModelProvenance;
import dev.vigil.models.TrainingSet;
import dev.vigil.models.forecast.Forecaster;
import dev.vigil.models.registry.ForecasterSlot;
import dev.vigil.models.registry.ModelRecords;
import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.models.registry.RegisteredModel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trained increment LSTM through the model registry: written as a registry record, read back
 * from a registry directory and swapped in by a {@link ForecasterSlot}, it forecasts exactly as
 * before; a record of another window size, input schema or a shorter horizon is refused with its
 * reason and the forecaster in use stays.
 */
class LstmForecasterRecordsTest {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration WINDOW = Duration.ofSeconds(10);
  static LstmIncrementForecaster trained;
  static double[] history;

  @BeforeAll
  static void train() {
    Random r = new Random(5);
    List<FeatureVector> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      rows.add(
          new FeatureVector(
              START.plus(WINDOW.multipliedBy(i)),
              new double[] {50 + 2 * r.nextGaussian(), 900 + 30 * r.nextGaussian()}));
    }
    trained =
        new LstmIncrementForecasterTrainer(
                LstmIncrementConfig.builder()
                    .sequenceLength(20)
                    .horizon(10)
                    .hiddenSize(8)
                    .epochs(2)
                    .build(),
                Clock.fixed(START, ZoneOffset.UTC))
            .train(new TrainingSet(FeatureSchema.of("a/p95_latency", "b/p95_latency"), rows));
    history = new double[20];
    for (int i = 0; i < history.length; i++) {
      history[i] = 40 + i + (i % 3);
    }
  }

  static RegisteredModel record(LstmIncrementForecaster f, Duration window) {
    return LstmForecasterRecords.toRecord(
        f, window, START, Map.of("rampRecall", 0.5), "no forecaster in use");
  }

  @Test
  void aPromotedForecasterIsSwappedInAndForecastsAsTrained(@TempDir Path dir) {
    ModelRegistry registry = ModelRegistry.directory(dir);
    RegisteredModel stored = registry.promote(record(trained, WINDOW));
    assertThat(stored.service()).isEqualTo(RegisteredModel.ALL_SERVICES);
    assertThat(stored.version()).isEqualTo(1);

    List<Forecaster> swapped = new CopyOnWriteArrayList<>();
    ForecasterSlot slot =
        new ForecasterSlot(
            m -> LstmForecasterRecords.load(m, WINDOW, 10),
            swapped::add,
            Clock.fixed(START, ZoneOffset.UTC));
    assertThat(slot.refresh(registry))
        .containsExactly("*: none -> " + RegisteredModel.LSTM_FORECASTER + " v1");
    assertThat(swapped).hasSize(1);
    Forecaster loaded = swapped.get(0);
    assertThat(loaded.forecast(history, 10)).containsExactly(trained.forecast(history, 10));
    ModelProvenance p = ((LstmIncrementForecaster) loaded).provenance();
    assertThat(p.trainerConfig())
        .containsEntry(LstmForecasterRecords.WINDOW_SIZE, "PT10S")
        .containsEntry("horizon", "10");
    assertThat(p.featureSchemaHash()).isEqualTo(LstmIncrementForecaster.INPUT_SCHEMA.hash());
    assertThat(slot.status().orElseThrow().model().orElseThrow().evaluation())
        .containsEntry("rampRecall", 0.5);
    // Nothing newer: nothing changes.
    assertThat(slot.refresh(registry)).isEmpty();

    // A version trained on another window size is refused; v1 stays in use.
    registry.promote(record(trained, Duration.ofSeconds(30)));
    assertThat(slot.refresh(registry))
        .singleElement()
        .asString()
        .contains("refused " + RegisteredModel.LSTM_FORECASTER + " v2")
        .contains("windows of PT30S")
        .contains("windows.size");
    assertThat(swapped).hasSize(1);
    assertThat(slot.forecaster()).containsSame(loaded);
    assertThat(slot.status().orElseThrow().refused()).isPresent();
    assertThat(slot.status().orElseThrow().model().orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void aForecasterThatDoesNotFitIsRefusedWithItsReason() {
    RegisteredModel r =
        ModelRecords.fromBytes(ModelRecords.toBytes(record(trained, WINDOW)), "test");
    assertThatThrownBy(() -> LstmForecasterRecords.load(r, WINDOW, 30))
        .isInstanceOf(IncompatibleModelException.class)
        .hasMessageContaining("forecasts 10 windows ahead, predictive.horizon asks for 30");
    ModelProvenance p = r.provenance();
    RegisteredModel otherSchema =
        new RegisteredModel(
            r.service(),
            r.kind(),
            r.version(),
            r.promotedAt(),
            new ModelProvenance(
                p.trainer(),
                p.trainerConfig(),
                p.dataStart(),
                p.dataEnd(),
                p.rows(),
                "0123456789abcdef",
                p.seed(),
                p.codeVersion(),
                p.trainedAt()),
            r.tribuoProvenance(),
            r.evaluation(),
            r.calibration(),
            r.reason(),
            r.payload());
    assertThatThrownBy(() -> LstmForecasterRecords.load(otherSchema, WINDOW, 10))
        .isInstanceOf(IncompatibleModelException.class)
        .hasMessageContaining("was trained on feature schema 0123456789abcdef");
    RegisteredModel garbage =
        new RegisteredModel(
            r.service(),
            r.kind(),
            r.version(),
            r.promotedAt(),
            p,
            r.tribuoProvenance(),
            r.evaluation(),
            r.calibration(),
            r.reason(),
            new byte[] {1, 2, 3});
    assertThatThrownBy(() -> LstmForecasterRecords.load(garbage, WINDOW, 10))
        .isInstanceOf(IncompatibleModelException.class)
        .hasMessageContaining("network that cannot be read");
  }
}

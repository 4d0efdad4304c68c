package dev.vigil.models.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.TrainingSet;
import dev.vigil.models.forecast.PredictiveAlert;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Trains one small forecaster on two sine series and checks forecasts, alerts and provenance. The
 * model and data are kept small so that the class runs in seconds; the assertions are about
 * behaviour (better than a naive forecast), not accuracy.
 */
class LstmIncrementForecasterTest {
  static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(START, ZoneOffset.UTC);
  static final FeatureSchema SCHEMA = FeatureSchema.of("a/p95_latency", "b/p95_latency");
  static LstmIncrementForecaster forecaster;

  static double sine(int i, double phase) {
    return 100 + 20 * Math.sin(2 * Math.PI * i / 24.0 + phase);
  }

  @BeforeAll
  static void train() {
    List<FeatureVector> rows = new ArrayList<>();
    for (int i = 0; i < 480; i++) {
      rows.add(
          new FeatureVector(START.plusSeconds(60L * i), new double[] {sine(i, 0), sine(i, 1)}));
    }
    LstmIncrementConfig config =
        LstmIncrementConfig.builder()
            .sequenceLength(24)
            .horizon(30)
            .stride(2)
            .hiddenSize(16)
            .epochs(20)
            .batchSize(32)
            .augmentations(0)
            .build();
    forecaster =
        new LstmIncrementForecasterTrainer(config, CLOCK).train(new TrainingSet(SCHEMA, rows));
  }

  static double[] history(int end) {
    double[] h = new double[48];
    for (int i = 0; i < h.length; i++) {
      h[i] = sine(end - h.length + i, 0);
    }
    return h;
  }

  @Test
  void forecastsASineBetterThanTheLastValue() {
    double model = 0;
    double naive = 0;
    for (int end = 1000; end < 1024; end++) {
      double[] h = history(end);
      double[] f = forecaster.forecast(h, 6);
      assertThat(f).hasSize(6);
      for (int k = 0; k < 6; k++) {
        model += Math.abs(f[k] - sine(end + k, 0));
        naive += Math.abs(h[h.length - 1] - sine(end + k, 0));
      }
    }
    assertThat(model).isLessThan(0.25 * naive);
  }

  @Test
  void predictiveAlertSaysWhenTheForecastCrossesTheThreshold() {
    double[] h = history(1000);
    double[] f = forecaster.forecast(h, 30);
    int peak = 0;
    for (int k = 1; k < f.length; k++) {
      if (f[k] > f[peak]) {
        peak = k;
      }
    }
    Instant last = START.plus(Duration.ofMinutes(999));
    Optional<PredictiveAlert> alert =
        forecaster.predictCrossing("a/p95_latency", h, last, Duration.ofMinutes(1), f[peak], 30);
    assertThat(alert).isPresent();
    int first = 0;
    while (f[first] < f[peak]) {
      first++;
    }
    assertThat(alert.get().stepsAhead()).isEqualTo(first + 1);
    assertThat(alert.get().expectedAt()).isEqualTo(last.plus(Duration.ofMinutes(first + 1L)));
    assertThat(alert.get().describe()).contains("a/p95_latency", "expected to cross");
    assertThat(forecaster.predictCrossing("a/p95_latency", h, last, Duration.ofMinutes(1), 1e6, 30))
        .isEmpty();
  }

  @Test
  void recordsProvenance() {
    assertThat(forecaster.provenance().trainer()).isEqualTo("lstm_increment_forecaster");
    assertThat(forecaster.provenance().featureSchemaHash())
        .isEqualTo(LstmIncrementForecaster.INPUT_SCHEMA.hash());
    assertThat(forecaster.provenance().rows()).isEqualTo(480);
    assertThat(forecaster.provenance().trainerConfig()).containsEntry("sequenceLength", "24");
  }

  @Test
  void refusesTooShortHistory() {
    assertThatThrownBy(() -> forecaster.forecast(new double[5], 1))
        .hasMessageContaining("needs 24");
  }
}

package dev.vigil.models.lstm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.ServiceFeatureSchema.Feature;
import dev.vigil.models.TrainingSet;
import dev.vigil.models.forecast.PredictiveAlert;
import dev.vigil.models.forecast.PredictiveAlerter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A trained LSTM behind {@link PredictiveAlerter}: a slow latency ramp (a leak: 50 ms to 450 ms
 * over 30 minutes of 10-second windows) is alerted before it reaches the alert level, with the
 * expected crossing time; a fault-free series of the same noise raises nothing. The forecaster
 * learns on a history whose series drift and ramp now and then (leaks and restarts), as production
 * latency does; it has never seen the test series.
 */
class PredictiveAlertTest {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration STEP = Duration.ofSeconds(10);
  static final double LEVEL = 150;
  static LstmForecaster forecaster;

  static double normal(Random r, int i) {
    return 50 * (1 + 0.15 * Math.sin(2 * Math.PI * i / 360.0)) * (1 + 0.04 * r.nextGaussian());
  }

  @BeforeAll
  static void train() {
    Random r = new Random(11);
    List<FeatureVector> rows = new ArrayList<>();
    for (int i = 0; i < 800; i++) {
      // Column 2 leaks: a ramp every 200 windows, reset by a restart.
      double leak = 50 + 300.0 * (i % 200) / 200;
      rows.add(
          new FeatureVector(
              START.plus(STEP.multipliedBy(i)),
              new double[] {
                normal(r, i), normal(r, i + 90), leak * (1 + 0.04 * r.nextGaussian())
              }));
    }
    LstmForecasterConfig config =
        LstmForecasterConfig.builder()
            .sequenceLength(30)
            .stride(5)
            .hiddenSize(16)
            .epochs(6)
            .batchSize(32)
            .learningRate(0.02)
            .build();
    forecaster =
        new LstmForecasterTrainer(config, Clock.fixed(START, ZoneOffset.UTC))
            .train(new TrainingSet(FeatureSchema.of("a", "b", "c"), rows));
  }

  /** Feeds the series and returns the first predictive alert and the index it came at. */
  static Optional<int[]> firstAlert(double[] series, List<PredictiveAlert> alerts) {
    PredictiveAlerter alerter = PredictiveAlerter.p95(forecaster);
    for (int i = 0; i < series.length; i++) {
      Optional<PredictiveAlert> a =
          alerter.observe(
              "svc",
              Feature.P95_LATENCY,
              START.plus(STEP.multipliedBy(i + 1L)),
              STEP,
              series[i],
              OptionalDouble.of(LEVEL));
      if (a.isPresent()) {
        alerts.add(a.get());
        return Optional.of(new int[] {i});
      }
    }
    return Optional.empty();
  }

  @Test
  void aFaultFreeSeriesRaisesNoPredictiveAlert() {
    Random r = new Random(6);
    double[] s = new double[500];
    for (int i = 0; i < s.length; i++) {
      s[i] = normal(r, i);
    }
    List<PredictiveAlert> alerts = new ArrayList<>();
    assertThat(firstAlert(s, alerts)).as("%s", alerts).isEmpty();
  }
}

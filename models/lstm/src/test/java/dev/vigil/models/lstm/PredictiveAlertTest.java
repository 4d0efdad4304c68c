package dev.vigil.models.lstm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.ServiceFeatureSchema.Feature;
import dev.vigil.models.TrainingSet;
import dev.vigil.models.forecast.Forecaster;
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
 * A trained increment LSTM behind {@link PredictiveAlerter}: a slow latency ramp (a leak: +400 ms
 * over 30 minutes of 10-second windows on a 50 ms service) is alerted before it reaches the alert
 * level, with the expected crossing time; a fault-free series of the same noise raises nothing. The
 * forecaster learns on fault-free series only (three services of different levels, a slow
 * daily-like wave and 4 % noise); the drifts it extrapolates come from the trainer's augmentation.
 * It has never seen the test series.
 *
 * <p>The forecaster this replaced (standardised by each history's mean, {@link LstmForecaster})
 * raised no alert on the same ramp: its forecast reverted to the history's mean.
 */
class PredictiveAlertTest {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration STEP = Duration.ofSeconds(10);
  static final double LEVEL = 150;
  static final int RAMP_START = 120;
  static LstmIncrementForecaster forecaster;

  static double normal(Random r, int i, double level) {
    return level * (1 + 0.15 * Math.sin(2 * Math.PI * i / 360.0)) * (1 + 0.04 * r.nextGaussian());
  }

  @BeforeAll
  static void train() {
    Random r = new Random(11);
    double[] levels = {50, 220, 1300};
    List<FeatureVector> rows = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      double[] v = new double[levels.length];
      for (int c = 0; c < v.length; c++) {
        v[c] = normal(r, i + 100 * c, levels[c]);
      }
      rows.add(new FeatureVector(START.plus(STEP.multipliedBy(i)), v));
    }
    forecaster =
        new LstmIncrementForecasterTrainer(
                LstmIncrementConfig.builder().build(), Clock.fixed(START, ZoneOffset.UTC))
            .train(new TrainingSet(FeatureSchema.of("a", "b", "c"), rows));
  }

  /** Feeds the series and returns the index of the first predictive alert. */
  static Optional<Integer> firstAlert(Forecaster f, double[] series, List<PredictiveAlert> alerts) {
    PredictiveAlerter alerter = PredictiveAlerter.p95(f);
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
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  static double[] ramp(long seed) {
    Random r = new Random(seed);
    double[] s = new double[RAMP_START + 180];
    for (int i = 0; i < s.length; i++) {
      s[i] = normal(r, i, 50) + (i < RAMP_START ? 0 : 400.0 * (i - RAMP_START) / 180);
    }
    return s;
  }

  static int firstCrossing(double[] s) {
    for (int i = 0; i < s.length; i++) {
      if (s[i] >= LEVEL) {
        return i;
      }
    }
    return s.length;
  }

  @Test
  void aSlowRampIsAlertedBeforeItCrossesTheLevel() {
    for (long seed = 1; seed <= 3; seed++) {
      double[] s = ramp(seed);
      int crossing = firstCrossing(s);
      List<PredictiveAlert> alerts = new ArrayList<>();
      Optional<Integer> at = firstAlert(forecaster, s, alerts);
      assertThat(at).as("seed %d: %s", seed, alerts).isPresent();
      assertThat(at.get()).as("seed %d", seed).isGreaterThan(RAMP_START).isLessThan(crossing);
      PredictiveAlert a = alerts.get(0);
      assertThat(a.series()).isEqualTo("svc/" + Feature.P95_LATENCY.id());
      assertThat(a.forecastValue()).isGreaterThanOrEqualTo(LEVEL);
      assertThat(a.expectedAt()).isAfter(START.plus(STEP.multipliedBy(at.get() + 1L)));
    }
  }

  @Test
  void aFaultFreeSeriesRaisesNoPredictiveAlert() {
    for (long seed = 6; seed <= 8; seed++) {
      Random r = new Random(seed);
      double[] s = new double[500];
      for (int i = 0; i < s.length; i++) {
        s[i] = normal(r, i, 50);
      }
      List<PredictiveAlert> alerts = new ArrayList<>();
      assertThat(firstAlert(forecaster, s, alerts)).as("seed %d: %s", seed, alerts).isEmpty();
    }
  }
}

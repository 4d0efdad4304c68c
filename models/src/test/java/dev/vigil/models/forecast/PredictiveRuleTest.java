package dev.vigil.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.models.ServiceFeatureSchema.Feature;
import dev.vigil.models.internal.MannKendall;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The rule that turns a forecast crossing into a predictive alert, with a linear-trend forecaster
 * (the mean increment of the last 10 values carried on from the last value): a flat noisy series
 * (the level 3.75 standard deviations above its mean) is forecast across the level now and then,
 * above all after a climb of two high windows, which the first-crossing rule alerts and the default
 * rule does not (no rise beyond the noise, no significant trend); a steady ramp is alerted by both,
 * by the default rule once the crossing has been forecast in two consecutive windows.
 */
class PredictiveRuleTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration STEP = Duration.ofSeconds(10);
  static final double LEVEL = 130;

  /** Linear extrapolation of the last ten increments from the last value. */
  static final Forecaster TREND =
      new Forecaster() {
        @Override
        public int sequenceLength() {
          return 60;
        }

        @Override
        public double[] forecast(double[] history, int horizon) {
          int n = history.length;
          double slope = (history[n - 1] - history[n - 11]) / 10;
          double[] f = new double[horizon];
          for (int k = 0; k < horizon; k++) {
            f[k] = history[n - 1] + slope * (k + 1);
          }
          return f;
        }
      };

  static List<Integer> alerts(PredictiveRule rule, double[] series) {
    PredictiveAlerter alerter =
        new PredictiveAlerter(TREND, 30, List.of(Feature.P95_LATENCY), rule);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < series.length; i++) {
      if (alerter
          .observe(
              "svc",
              Feature.P95_LATENCY,
              T0.plus(STEP.multipliedBy(i)),
              STEP,
              series[i],
              OptionalDouble.of(LEVEL))
          .isPresent()) {
        out.add(i);
      }
    }
    return out;
  }

  static double[] flat(long seed, int n) {
    Random r = new Random(seed);
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = 100 + 8 * r.nextGaussian();
    }
    return s;
  }

  @Test
  void aFlatNoisySeriesAlertsOnlyUnderTheFirstCrossingRule() {
    double[] s = flat(1, 80);
    s[70] = 112;
    s[71] = 127; // a noisy climb of two windows, still below the level
    double[] head = java.util.Arrays.copyOf(s, 72);
    assertThat(alerts(PredictiveRule.FIRST_CROSSING, head)).isNotEmpty();
    assertThat(alerts(PredictiveRule.DEFAULT, head)).isEmpty();
  }

  @Test
  void aSteadyRampIsAlertedAfterTwoConsecutiveCrossingForecasts() {
    double[] s = flat(2, 200);
    for (int i = 100; i < s.length; i++) {
      s[i] += 0.8 * (i - 100);
    }
    int crossing = 0;
    while (s[crossing] < LEVEL) {
      crossing++;
    }
    List<Integer> first = alerts(PredictiveRule.FIRST_CROSSING, s);
    List<Integer> confirmed = alerts(PredictiveRule.DEFAULT, s);
    assertThat(confirmed).isNotEmpty();
    assertThat(confirmed.get(0)).isGreaterThan(100).isLessThan(crossing);
    assertThat(first).isNotEmpty();
    assertThat(confirmed.get(0)).isGreaterThanOrEqualTo(first.get(0) + 1);
  }

  @Test
  void theTrendAndNoiseStatisticsMeasureWhatTheySay() {
    double[] up = new double[60];
    for (int i = 0; i < up.length; i++) {
      up[i] = i;
    }
    assertThat(MannKendall.z(up)).isGreaterThan(10);
    double[] noise = flat(3, 600);
    assertThat(Math.abs(MannKendall.z(noise))).isLessThan(3);
    assertThat(PredictiveRule.noise(noise)).isBetween(6.0, 10.0);
    assertThatThrownBy(() -> new PredictiveRule(0, 0, 0))
        .hasMessageContaining("confirmations must be at least 1");
    assertThatThrownBy(() -> new PredictiveRule(-1, 0, 1)).hasMessageContaining("margin");
  }
}

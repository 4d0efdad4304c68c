package dev.vigil.models.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A trained forecaster of one series at a time: given the recent history, the next values. The LSTM
 * forecaster ({@code models/lstm}) is the one Vigil ships; it lives in its own module, so the
 * service reaches it through this interface.
 */
public interface Forecaster {

  /** Steps of history a forecast needs at least. */
  int sequenceLength();

  /** The longest horizon it forecasts (unbounded by default). */
  default int maxHorizon() {
    return Integer.MAX_VALUE;
  }

  /**
   * Forecasts the next {@code horizon} values after {@code history}.
   *
   * @param history at least {@link #sequenceLength()} values, oldest first
   */
  double[] forecast(double[] history, int horizon);

  /**
   * A predictive alert when the forecast of the next {@code horizon} steps reaches {@code
   * threshold}: it says at which step, and so when, the crossing is expected.
   *
   * @param lastTime the time of the last value of {@code history}
   * @param step the series' sampling interval
   */
  default Optional<PredictiveAlert> predictCrossing(
      String series,
      double[] history,
      Instant lastTime,
      Duration step,
      double threshold,
      int horizon) {
    double[] f = forecast(history, horizon);
    for (int k = 0; k < f.length; k++) {
      if (f[k] >= threshold) {
        return Optional.of(
            new PredictiveAlert(
                series, threshold, lastTime.plus(step.multipliedBy(k + 1L)), k + 1, f[k]));
      }
    }
    return Optional.empty();
  }
}

package dev.vigil.models.lstm;

import java.util.Arrays;

/**
 * How {@link LstmIncrementForecaster} sees a history: its increments (first differences, as the d =
 * 1 of ARIMA) and its level relative to the last value, both in units of the history's noise, the
 * mean absolute deviation of its increments. A ramp is then a run of positive increments whatever
 * the series' level or unit, and the forecast is the change from the last value in the same units,
 * so a history is never pulled back to its own mean.
 *
 * @param scale the noise unit, greater than 0
 * @param last the last value of the history
 */
record IncrementScaling(double scale, double last) {
  /** Input features per step: the scaled increment and the scaled level relative to the last. */
  static final int FEATURES = 2;

  /** Targets are changes from the last value in units of {@code TARGET_UNIT} noise units. */
  static final double TARGET_UNIT = 10;

  private static final double MAX_INCREMENT = 10;
  private static final double MAX_LEVEL = 100;

  /** The scaling of a history of at least two finite values. */
  static IncrementScaling of(double[] history, int from, int length) {
    double[] d = new double[length - 1];
    for (int i = 1; i < length; i++) {
      d[i - 1] = history[from + i] - history[from + i - 1];
    }
    double[] sorted = d.clone();
    Arrays.sort(sorted);
    double median = sorted[sorted.length / 2];
    double mad = 0;
    for (double x : d) {
      mad += Math.abs(x - median);
    }
    mad /= d.length;
    double[] values = Arrays.copyOfRange(history, from, from + length);
    Arrays.sort(values);
    double level = Math.abs(values[values.length / 2]);
    // sqrt(pi/2) turns a mean absolute deviation into a standard deviation for Gaussian noise; the
    // floor keeps a constant history (all increments 0) finite.
    double scale = Math.max(Math.sqrt(Math.PI / 2) * mad, Math.max(1e-3 * level, 1e-9));
    return new IncrementScaling(scale, history[from + length - 1]);
  }

  /** Writes the features of {@code history[from, from + length)} as [feature][step]. */
  void features(double[] history, int from, int length, float[][] out) {
    for (int i = 0; i < length; i++) {
      double inc = i == 0 ? 0 : (history[from + i] - history[from + i - 1]) / scale;
      double rel = (history[from + i] - last) / scale;
      out[0][i] = (float) (clip(inc, MAX_INCREMENT) / 3);
      out[1][i] = (float) (clip(rel, MAX_LEVEL) / TARGET_UNIT);
    }
  }

  /** The target of a future value: its change from the last value. */
  double target(double value) {
    return clip((value - last) / scale, MAX_LEVEL) / TARGET_UNIT;
  }

  /** A value from a network output. */
  double invert(double output) {
    return last + output * TARGET_UNIT * scale;
  }

  private static double clip(double x, double max) {
    return Math.max(-max, Math.min(max, x));
  }
}

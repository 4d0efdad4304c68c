package dev.vigil.models.univariate;

import dev.vigil.models.RobustBaseline;
import dev.vigil.models.internal.RingState;

/**
 * The absolute robust z-score of a value against the median and MAD of the previous {@code
 * capacity} values, with the spread floored at 1% of the range seen so far. Returns -1 while fewer
 * than {@code min(capacity, 20)} values were seen. O(capacity log capacity) per point.
 */
final class RollingDeviation {
  private final RobustBaseline window;
  private final int minValues;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  RollingDeviation(int capacity) {
    window = new RobustBaseline(capacity);
    minValues = Math.min(capacity, 20);
  }

  /** What it has learnt: the window of values and the range. */
  record State(RingState window, double min, double max) {}

  State state() {
    return new State(window.state(), min, max);
  }

  void restore(State state) {
    window.restore(state.window());
    min = state.min();
    max = state.max();
  }

  double scoreAndLearn(double x) {
    double z = -1;
    if (window.size() >= minValues) {
      z = Math.abs(window.zScore(x, Math.max(0.01 * (max - min), 1e-9)));
    }
    window.add(x);
    min = Math.min(min, x);
    max = Math.max(max, x);
    return z;
  }
}

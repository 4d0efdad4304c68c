package dev.vigil.models.univariate;

/**
 * Numenta's "spatial anomaly" rule, causal: a value more than {@code tolerance} of the range seen
 * so far above its maximum or below its minimum is new. O(1) per point.
 */
final class RangeNovelty {
  private final double tolerance;
  private final int minValues;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  private long count;

  RangeNovelty(double tolerance, int minValues) {
    this.tolerance = tolerance;
    this.minValues = minValues;
  }

  /** What it has learnt: the range and the number of values. */
  record State(double min, double max, long count) {}

  State state() {
    return new State(min, max, count);
  }

  void restore(State state) {
    min = state.min();
    max = state.max();
    count = state.count();
  }

  boolean isNewAndLearn(double x) {
    boolean novel = false;
    if (count >= minValues && max > min) {
      double margin = (max - min) * tolerance;
      novel = x > max + margin || x < min - margin;
    }
    count++;
    min = Math.min(min, x);
    max = Math.max(max, x);
    return novel;
  }
}

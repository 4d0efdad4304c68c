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

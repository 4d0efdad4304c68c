package dev.vigil.models;

/**
 * How one feature of a service moved away from its baseline.
 *
 * @param feature the feature id, e.g. {@code p95_latency}
 * @param unit {@code ms}, {@code ratio} or {@code req/s}
 * @param baseline the robust baseline (median of recent normal windows)
 * @param actual the value in the anomalous window
 * @param zScore robust z-score: (actual - median) / (1.4826 MAD), with a floor on the spread
 */
public record FeatureDeviation(
    String feature, String unit, double baseline, double actual, double zScore) {

  /** actual / baseline, or +inf when the baseline is 0. */
  public double ratio() {
    return baseline == 0 ? Double.POSITIVE_INFINITY : actual / baseline;
  }
}

package dev.vigil.features;

import java.util.List;

/**
 * Quantiles of explicit-bucket histograms, estimated as Prometheus' {@code histogram_quantile}
 * does: the bucket holding the observation of rank {@code q * count} is found, and the value is
 * interpolated linearly between its bounds. OTLP bucket {@code i} covers {@code (bounds[i-1],
 * bounds[i]]}, the first from minus infinity, the last to plus infinity; as in Prometheus the first
 * bucket is taken to start at 0 when its upper bound is positive (and its upper bound is returned
 * otherwise), and a rank in the last bucket returns the highest finite bound, so tail quantiles
 * beyond the last bound are under-estimated to it. The error is at most the width of the bucket
 * holding the quantile. O(buckets).
 */
final class ExplicitBuckets {
  private ExplicitBuckets() {}

  /** The q-quantile, or NaN when there are no observations or no finite bounds. */
  static double quantile(double q, List<Double> bounds, long[] counts) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0 || bounds.isEmpty() || counts.length != bounds.size() + 1) {
      return Double.NaN;
    }
    double rank = q * total;
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      long c = counts[i];
      if (c > 0 && seen + c >= rank) {
        if (i == bounds.size()) {
          return bounds.get(i - 1);
        }
        double upper = bounds.get(i);
        if (i == 0 && upper <= 0) {
          return upper;
        }
        double lower = i == 0 ? 0 : bounds.get(i - 1);
        return lower + (upper - lower) * (rank - seen) / c;
      }
      seen += c;
    }
    return bounds.get(bounds.size() - 1);
  }
}

package dev.vigil.rca.offline;

import java.util.Arrays;

/** Order statistics for robust scoring. */
final class RobustStats {
  /** Spread floor relative to the magnitude of the normal median. */
  static final double RELATIVE_FLOOR = 0.05;

  /** Spread floor for latencies in milliseconds: changes below a millisecond are noise. */
  static final double MIN_LATENCY_SPREAD_MILLIS = 1.0;

  /** Spread floor for ratios (error rates): one point of percentage. */
  static final double MIN_RATIO_SPREAD = 0.01;

  /**
   * Score given to a change of a series that did not vary at all in its normal window (so any
   * change is infinitely many spreads away): weak evidence, not proof.
   */
  static final double DEGENERATE_SCORE = 3.0;

  /**
   * Which quantile of the normal window's own scores is its usual deviation. A series that often
   * strays as far in normal times (an idle service's spiky percentiles) is discounted by it; the
   * quantile leaves room for an earlier incident inside the normal window.
   */
  static final double USUAL_QUANTILE = 1.0;

  private RobustStats() {}

  /** The q-quantile of sorted values, linearly interpolated. */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  /** The change of a series at the incident: normal [from, incident), abnormal [incident, to). */
  static SeriesChange change(Series s, long from, long incident, long to, AnalysisConfig config) {
    double[] normal = new double[s.size()];
    double[] abnormal = new double[s.size()];
    int n = 0;
    int a = 0;
    for (int i = 0; i < s.size(); i++) {
      long t = s.time(i);
      double v = s.value(i);
      if (Double.isNaN(v)) {
        continue;
      }
      if (t >= from && t < incident) {
        normal[n++] = v;
      } else if (t >= incident && t < to) {
        abnormal[a++] = v;
      }
    }
    normal = Arrays.copyOf(normal, n);
    abnormal = Arrays.copyOf(abnormal, a);
    Arrays.sort(normal);
    Arrays.sort(abnormal);
    double before = quantile(normal, 0.5);
    double up = quantile(abnormal, config.abnormalQuantile());
    double down = quantile(abnormal, 1 - config.abnormalQuantile());
    boolean upOnly = s.key().kind().harmfulOnlyWhenUp();
    double after = a == 0 ? Double.NaN : (upOnly || up - before >= before - down ? up : down);
    if (n < config.minNormalPoints() || a == 0) {
      return new SeriesChange(s, before, after, Double.NaN, 0, 0);
    }
    double iqr = quantile(normal, 0.75) - quantile(normal, 0.25);
    double spread = Math.max(iqr, RELATIVE_FLOOR * Math.abs(before));
    spread = Math.max(spread, absoluteFloor(s.key()));
    double d = after - before;
    if (upOnly) {
      d = Math.max(0, d);
    }
    if (spread == 0) {
      spread = d == 0 ? Double.POSITIVE_INFINITY : Math.abs(d) / DEGENERATE_SCORE;
    }
    double raw = Math.abs(d) / spread;
    double[] normalScores = new double[n];
    for (int i = 0; i < n; i++) {
      double e = normal[i] - before;
      normalScores[i] = (upOnly ? Math.max(0, e) : Math.abs(e)) / spread;
    }
    Arrays.sort(normalScores);
    double usual = quantile(normalScores, USUAL_QUANTILE);
    return new SeriesChange(s, before, after, spread, raw, raw / Math.max(1, usual));
  }

  private static double absoluteFloor(SeriesKey key) {
    return switch (key.unit()) {
      case "ms" -> MIN_LATENCY_SPREAD_MILLIS;
      case "ratio" -> MIN_RATIO_SPREAD;
      default -> 0;
    };
  }
}

package dev.vigil.rca.offline;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Finds when an incident started, when the caller does not know: the time that best splits the
 * recording into a normal part and a changed part. For each candidate time t and each series, the
 * mean of the window after t is compared with the mean of an equally long window before it, in
 * units of the robust spread of the window before ({@link RobustStats}); for a step change this
 * peaks at the step. A candidate scores the sum over series of {@code log1p} of that, so that many
 * series changing together outweigh one series changing a lot; the best candidate wins. Candidates
 * leave at least {@link #MIN_SIDE_FRACTION} of the recording on either side. O(candidates x
 * points).
 */
final class IncidentLocator {
  static final double MIN_SIDE_FRACTION = 0.1;
  static final int MAX_CANDIDATES = 240;

  private IncidentLocator() {}

  static Instant locate(TelemetryIndex index, AnalysisConfig config) {
    long first = index.firstMillis();
    long last = index.lastMillis();
    long span = Math.max(1, last - first);
    long step = Math.max(index.binMillis(), span / MAX_CANDIDATES);
    long window = Math.min(config.abnormalWindow().toMillis(), span / 3);
    long start = first + Math.max(window / 2, (long) (span * MIN_SIDE_FRACTION));
    long end = last - (long) (span * MIN_SIDE_FRACTION);
    long best = first + span / 2;
    double bestScore = -1;
    List<Series> series = index.series();
    for (long t = Math.floorDiv(start, step) * step; t <= end; t += step) {
      double score = 0;
      for (Series s : series) {
        score += Math.log1p(stepScore(s, t, window, config.minNormalPoints()));
      }
      if (score > bestScore) {
        bestScore = score;
        best = t;
      }
    }
    return Instant.ofEpochMilli(best);
  }

  /** |mean after - mean before| / robust spread before, over windows of {@code w} around t. */
  static double stepScore(Series s, long t, long w, int minPoints) {
    double[] before = new double[s.size()];
    int n = 0;
    double sumAfter = 0;
    int a = 0;
    for (int i = 0; i < s.size(); i++) {
      long time = s.time(i);
      double v = s.value(i);
      if (Double.isNaN(v)) {
        continue;
      }
      if (time >= t - w && time < t) {
        before[n++] = v;
      } else if (time >= t && time < t + w) {
        sumAfter += v;
        a++;
      }
    }
    if (n < Math.max(2, minPoints) || a == 0) {
      return 0;
    }
    before = Arrays.copyOf(before, n);
    Arrays.sort(before);
    double mean = 0;
    for (double v : before) {
      mean += v;
    }
    mean /= n;
    double iqr = RobustStats.quantile(before, 0.75) - RobustStats.quantile(before, 0.25);
    double median = RobustStats.quantile(before, 0.5);
    double spread = Math.max(iqr, RobustStats.RELATIVE_FLOOR * Math.abs(median));
    if (spread <= 0) {
      return 0;
    }
    return Math.abs(sumAfter / a - mean) / spread;
  }
}

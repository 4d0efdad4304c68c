package dev.vigil.trainingdata.nab;

import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-row sweep scores and window labels of one file under one profile: a port of NAB's {@code
 * Sweeper.calcSweepScore}. Package-private; the arrays are never exposed or mutated after
 * construction.
 *
 * @param probation the probationary length: rows {@code i < probation} are not scored
 * @param window per row, the index of the window (within the file) the row lies in, or -1
 * @param sweep per row, the profile-weighted score a detection on that row would earn
 * @param windowCount the number of windows of the file
 */
record FileSweep(int probation, int[] window, double[] sweep, int windowCount) {

  /** Walks the rows of {@code series} in order, as NAB does. Runs in O(rows + windows). */
  static FileSweep compute(NabSeries series, NabProfile profile) {
    List<NabRow> rows = series.rows();
    List<NabWindow> windows = series.windows();
    int n = rows.size();
    Map<LocalDateTime, Integer> firstRow = new HashMap<>();
    for (int i = 0; i < n; i++) {
      firstRow.putIfAbsent(rows.get(i).timestamp(), i);
    }
    double maxTp = NabScorer.scaledSigmoid(-1.0);
    int[] window = new int[n];
    double[] sweep = new double[n];
    int next = 0;
    int current = -1;
    int currentRight = 0;
    double currentWidth = 0;
    int previousRight = -1;
    double previousWidth = 0;
    for (int i = 0; i < n; i++) {
      LocalDateTime timestamp = rows.get(i).timestamp();
      if (next < windows.size() && timestamp.equals(windows.get(next).start())) {
        current = next++;
        NabWindow limits = windows.get(current);
        currentRight = firstRow.get(limits.end());
        currentWidth = currentRight - firstRow.get(limits.start()) + 1;
      }
      if (current >= 0) {
        double position = -(currentRight - i + 1) / currentWidth;
        sweep[i] = NabScorer.scaledSigmoid(position) * profile.tpWeight() / maxTp;
      } else {
        double unweighted =
            previousRight < 0
                ? -1.0
                : NabScorer.scaledSigmoid(Math.abs(previousRight - i) / (previousWidth - 1));
        sweep[i] = unweighted * profile.fpWeight();
      }
      window[i] = current;
      if (current >= 0 && timestamp.equals(windows.get(current).end())) {
        previousRight = i;
        previousWidth = currentWidth;
        current = -1;
      }
    }
    return new FileSweep(NabScorer.probationaryLength(n), window, sweep, windows.size());
  }

  /** The number of windows with at least one row after the probationary period. */
  int scoredWindowCount() {
    boolean[] seen = new boolean[windowCount];
    int count = 0;
    for (int i = probation; i < window.length; i++) {
      if (window[i] >= 0 && !seen[window[i]]) {
        seen[window[i]] = true;
        count++;
      }
    }
    return count;
  }

  /**
   * The raw score of the file when every row with {@code anomalyScore >= threshold} is a detection:
   * each scored window earns the sweep score of its earliest detection or {@code -fnWeight} if
   * missed; each detection outside windows adds its (negative) sweep score.
   */
  double rawScore(double[] anomalyScores, double threshold, double fnWeight) {
    double[] best = new double[windowCount];
    boolean[] scored = new boolean[windowCount];
    Arrays.fill(best, -fnWeight);
    double total = 0;
    for (int i = probation; i < window.length; i++) {
      int w = window[i];
      boolean detected = anomalyScores[i] >= threshold;
      if (w >= 0) {
        scored[w] = true;
        if (detected) {
          best[w] = Math.max(best[w], sweep[i]);
        }
      } else if (detected) {
        total += sweep[i];
      }
    }
    for (int w = 0; w < windowCount; w++) {
      if (scored[w]) {
        total += best[w];
      }
    }
    return total;
  }
}

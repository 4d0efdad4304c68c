package dev.vigil.models.univariate;

/**
 * Turns a stream of raw anomaly scores into the probability that the recent scores are unusual for
 * this series: the anomaly likelihood of Ahmad, Lavin, Purdy and Agha, "Unsupervised real-time
 * anomaly detection for streaming data", Neurocomputing 262 (2017).
 *
 * <p>The short-term mean of the last {@code averagingWindow} raw scores is compared with a normal
 * distribution fitted to the long-term history of such means (the last {@code historyLength}); the
 * upper-tail probability {@code q} is reported as the log score {@code -log10(q) / 10}, so 0.5
 * means {@code q = 1e-5}. The distribution is re-estimated every {@code reestimationPeriod} points,
 * and nothing is reported during the first {@code learningPeriod} points. O(1) per point, plus
 * O(historyLength) at each re-estimation. Not thread-safe.
 */
public final class AnomalyLikelihood {
  /**
   * Floors of the fitted distribution, as in Numenta's implementation: a series whose raw scores
   * are almost always 0 must not turn the slightest blip into a certain anomaly.
   */
  static final double MIN_MEAN = 0.03;

  static final double MIN_VARIANCE = 0.0003;

  private final int learningPeriod;
  private final int averagingWindow;
  private final int reestimationPeriod;
  private final double[] history;
  private final double[] recent;
  private int historySize;
  private int historyNext;
  private int recentSize;
  private int recentNext;
  private double recentSum;
  private long count;
  private double mean = Double.NaN;
  private double stdev = Double.NaN;

  /**
   * @param learningPeriod points seen before any likelihood is reported
   * @param historyLength number of short-term means the distribution is fitted on
   * @param averagingWindow raw scores averaged into one short-term mean
   * @param reestimationPeriod points between two fits of the distribution
   */
  public AnomalyLikelihood(
      int learningPeriod, int historyLength, int averagingWindow, int reestimationPeriod) {
    check(learningPeriod > 0, "learningPeriod must be greater than 0");
    check(historyLength > 1, "historyLength must be greater than 1");
    check(averagingWindow > 0, "averagingWindow must be greater than 0");
    check(reestimationPeriod > 0, "reestimationPeriod must be greater than 0");
    this.learningPeriod = learningPeriod;
    this.averagingWindow = averagingWindow;
    this.reestimationPeriod = reestimationPeriod;
    this.history = new double[historyLength];
    this.recent = new double[averagingWindow];
  }

  /**
   * Adds a raw score and returns the log likelihood score in [0, 1] of the short-term mean ending
   * with it against the distribution fitted before it.
   */
  public double update(double rawScore) {
    if (!Double.isFinite(rawScore)) {
      rawScore = 0;
    }
    if (recentSize == averagingWindow) {
      recentSum -= recent[recentNext];
    } else {
      recentSize++;
    }
    recent[recentNext] = rawScore;
    recentNext = (recentNext + 1) % averagingWindow;
    recentSum += rawScore;
    double average = recentSum / recentSize;
    count++;
    if (count > learningPeriod && (Double.isNaN(mean) || count % reestimationPeriod == 0)) {
      estimate();
    }
    double score = Double.isNaN(mean) ? 0 : logScore(tail(average));
    history[historyNext] = average;
    historyNext = (historyNext + 1) % history.length;
    historySize = Math.min(historySize + 1, history.length);
    return score;
  }

  private void estimate() {
    double sum = 0;
    for (int i = 0; i < historySize; i++) {
      sum += history[i];
    }
    double m = sum / historySize;
    double squares = 0;
    for (int i = 0; i < historySize; i++) {
      squares += (history[i] - m) * (history[i] - m);
    }
    mean = Math.max(m, MIN_MEAN);
    stdev = Math.sqrt(Math.max(squares / historySize, MIN_VARIANCE));
  }

  private double tail(double x) {
    return x <= mean ? 0.5 : Gaussian.upperTail((x - mean) / stdev);
  }

  /** {@code -log10(q + 1e-10) / 10}: 0 for q = 1, 1 for q = 0. */
  static double logScore(double tailProbability) {
    return Math.min(1, Math.max(0, -Math.log10(tailProbability + 1e-10) / 10));
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}

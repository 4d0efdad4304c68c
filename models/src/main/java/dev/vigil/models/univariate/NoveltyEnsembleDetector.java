package dev.vigil.models.univariate;

import dev.vigil.models.UnivariateDetector;
import dev.vigil.models.internal.StateCodec;
import dev.vigil.models.seasonal.SeasonalBaseline;
import java.util.ArrayList;
import java.util.List;

/**
 * Vigil's default univariate detector: an ensemble of three deviation signals, each calibrated by
 * how far it breaks its own record, plus a range rule.
 *
 * <ul>
 *   <li>{@code level}: robust z-score of the value against the last 100 values;
 *   <li>{@code change}: robust z-score of the first difference against the last 100 differences;
 *   <li>{@code seasonal}: robust z-score against the same time of day or week ({@link
 *       SeasonalBaseline}), once a seasonal band exists;
 *   <li>{@code range}: a value beyond the range seen so far by more than 5% of it (Numenta's
 *       "spatial anomaly") scores 1.
 * </ul>
 *
 * <p>Each signal is turned into {@link RecordNovelty}: its ratio to the largest value it reached
 * before, which puts signals of very different scales on one scale and rewards what has never been
 * seen, the kind of event the Numenta Anomaly Benchmark labels. The score is the largest calibrated
 * signal (times 0.99, so that the range rule ranks first). Everything is causal: the point is
 * scored before any component learns it. O(100 log 100) per point. Not thread-safe.
 */
public final class NoveltyEnsembleDetector implements UnivariateDetector {
  static final double SIGNAL_SCALE = 0.99;

  private final RollingDeviation level = new RollingDeviation(100);
  private final RollingDeviation change = new RollingDeviation(100);
  private final SeasonalBaseline seasonal = SeasonalBaseline.defaults();
  private final RecordNovelty levelNovelty = defaultNovelty();
  private final RecordNovelty changeNovelty = defaultNovelty();
  private final RecordNovelty seasonalNovelty = defaultNovelty();
  private final RangeNovelty range = new RangeNovelty(0.05, 10);
  private final List<String> contributors = new ArrayList<>();
  private double previous = Double.NaN;

  /** The record calibration every Vigil univariate detector uses. */
  static RecordNovelty defaultNovelty() {
    return new RecordNovelty(50, 300, 2, 1000);
  }

  @Override
  public double scoreAndLearn(long epochMillis, double value) {
    contributors.clear();
    double l = levelNovelty.update(level.scoreAndLearn(value));
    double c =
        Double.isNaN(previous) ? 0 : changeNovelty.update(change.scoreAndLearn(value - previous));
    previous = value;
    SeasonalBaseline.Band band = seasonal.expected(epochMillis);
    double s = 0;
    if (band.source() == SeasonalBaseline.Source.DAILY
        || band.source() == SeasonalBaseline.Source.WEEKLY) {
      s = seasonalNovelty.update(Math.abs(band.zScore(value)));
    }
    seasonal.learn(epochMillis, value);
    double best = SIGNAL_SCALE * Math.max(l, Math.max(c, s));
    if (range.isNewAndLearn(value)) {
      contributors.add("range");
      return 1.0;
    }
    if (best > 0) {
      contributors.add(l >= c && l >= s ? "level" : c >= s ? "change" : "seasonal");
    }
    return best;
  }

  /** What the ensemble has learnt: each component's state and the previous value. */
  record State(
      RollingDeviation.State level,
      RollingDeviation.State change,
      SeasonalBaseline.State seasonal,
      RecordNovelty.State levelNovelty,
      RecordNovelty.State changeNovelty,
      RecordNovelty.State seasonalNovelty,
      RangeNovelty.State range,
      double previous) {}

  State state() {
    return new State(
        level.state(),
        change.state(),
        seasonal.state(),
        levelNovelty.state(),
        changeNovelty.state(),
        seasonalNovelty.state(),
        range.state(),
        previous);
  }

  void restore(State state) {
    level.restore(state.level());
    change.restore(state.change());
    seasonal.restore(state.seasonal());
    levelNovelty.restore(state.levelNovelty());
    changeNovelty.restore(state.changeNovelty());
    seasonalNovelty.restore(state.seasonalNovelty());
    range.restore(state.range());
    previous = state.previous();
  }

  @Override
  public byte[] snapshot() {
    return StateCodec.write(state());
  }

  @Override
  public void restore(byte[] state) {
    restore(StateCodec.read(state, State.class, name() + " detector state"));
  }

  /** The signal that set the last score ({@code range}, {@code level}, ...), if any. */
  public List<String> lastContributors() {
    return List.copyOf(contributors);
  }

  @Override
  public String name() {
    return "ensemble";
  }
}

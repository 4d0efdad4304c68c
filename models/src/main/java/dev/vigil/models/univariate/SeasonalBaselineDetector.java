package dev.vigil.models.univariate;

import dev.vigil.models.UnivariateDetector;
import dev.vigil.models.internal.StateCodec;
import dev.vigil.models.seasonal.SeasonalBaseline;

/**
 * The seasonal baseline alone as a univariate detector: the robust z-score of each value against
 * its {@link SeasonalBaseline} band (same time of day or week, else the recent values), calibrated
 * by {@link RecordNovelty}. O(days log days) per point.
 */
public final class SeasonalBaselineDetector implements UnivariateDetector {
  private final SeasonalBaseline baseline = SeasonalBaseline.defaults();
  private final RecordNovelty novelty = NoveltyEnsembleDetector.defaultNovelty();

  @Override
  public double scoreAndLearn(long epochMillis, double value) {
    SeasonalBaseline.Band band = baseline.expected(epochMillis);
    double z = band.source() == SeasonalBaseline.Source.NONE ? -1 : Math.abs(band.zScore(value));
    baseline.learn(epochMillis, value);
    return novelty.update(z);
  }

  /** What the detector has learnt: the baseline and the calibration. */
  record State(SeasonalBaseline.State baseline, RecordNovelty.State novelty) {}

  @Override
  public byte[] snapshot() {
    return StateCodec.write(new State(baseline.state(), novelty.state()));
  }

  @Override
  public void restore(byte[] bytes) {
    State state = StateCodec.read(bytes, State.class, name() + " detector state");
    baseline.restore(state.baseline());
    novelty.restore(state.novelty());
  }

  @Override
  public String name() {
    return "seasonal_baseline";
  }
}

package dev.vigil.models.univariate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.models.IncompatibleModelException;
import dev.vigil.models.UnivariateDetector;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every built-in univariate detector saves what it has learnt and a fresh one restores it exactly:
 * fed the same points afterwards, both return the same scores, to the last bit.
 */
class UnivariateDetectorStateTest {
  private static final long HOUR = 3_600_000L;

  /**
   * Hourly points with a daily cycle (so that the seasonal bands form), a level shift at 900 and
   * spikes at 1000 and 1150.
   */
  private static double value(int i, Random random) {
    double daily = 10 * Math.sin(2 * Math.PI * i / 24.0);
    double shift = i >= 900 ? 15 : 0;
    double spike = i == 1000 || i == 1150 ? 60 : 0;
    return 50 + daily + shift + spike + random.nextGaussian();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "bin_novelty",
        "ensemble",
        "seasonal_baseline",
        "random_cut_forest",
        "isolation_forest"
      })
  void aRestoredDetectorScoresExactlyAsTheSavedOne(String name) {
    Supplier<UnivariateDetector> factory = UnivariateDetectors.factory(name);
    UnivariateDetector original = factory.get();
    Random random = new Random(3);
    int i = 0;
    for (; i < 700; i++) {
      original.scoreAndLearn(i * HOUR, value(i, random));
    }
    UnivariateDetector restored = factory.get();
    restored.restore(original.snapshot());
    Set<Double> scores = new HashSet<>();
    for (; i < 1300; i++) {
      double v = value(i, random);
      double expected = original.scoreAndLearn(i * HOUR, v);
      assertThat(restored.scoreAndLearn(i * HOUR, v)).as("point %d", i).isEqualTo(expected);
      // Boxed, so that NaN (no raw score) equals NaN.
      assertThat(Double.valueOf(restored.lastRawScore()))
          .as("raw score of point %d", i)
          .isEqualTo(Double.valueOf(original.lastRawScore()));
      scores.add(expected);
    }
    assertThat(scores)
        .as("the comparison covers varied scores, not a constant")
        .hasSizeGreaterThan(10);
    assertThat(restored.snapshot()).isEqualTo(original.snapshot());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"bin_novelty", "seasonal_baseline", "random_cut_forest"})
  void anotherDetectorsStateIsRefused(String name) {
    UnivariateDetector ensemble = UnivariateDetectors.factory("ensemble").get();
    ensemble.scoreAndLearn(0, 1);
    byte[] state = ensemble.snapshot();
    assertThatThrownBy(() -> UnivariateDetectors.factory(name).get().restore(state))
        .isInstanceOf(IncompatibleModelException.class)
        .hasMessageContaining(name.equals("random_cut_forest") ? "random_cut_forest" : name);
  }
}

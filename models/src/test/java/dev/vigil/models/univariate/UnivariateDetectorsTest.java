package dev.vigil.models.univariate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.models.UnivariateDetector;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnivariateDetectorsTest {

  @Test
  void namesTheBuiltInDetectorsAndRefusesUnknownOnes() {
    assertThat(UnivariateDetectors.available())
        .containsKeys(
            "bin_novelty",
            "ensemble",
            "seasonal_baseline",
            "random_cut_forest",
            "isolation_forest");
    assertThat(UnivariateDetectors.available()).containsKey(UnivariateDetectors.DEFAULT);
    assertThatThrownBy(() -> UnivariateDetectors.factory("htm"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown detector 'htm'")
        .hasMessageContaining("ensemble");
  }

  @ParameterizedTest(name = "{0} scores a level shift above the noise before it")
  @ValueSource(
      strings = {
        "bin_novelty",
        "ensemble",
        "seasonal_baseline",
        "random_cut_forest",
        "isolation_forest"
      })
  void scoresALevelShiftHigherThanNoise(String name) {
    UnivariateDetector d = UnivariateDetectors.factory(name).get();
    assertThat(d.name()).isEqualTo(name);
    Random r = new Random(5);
    long t = 0;
    double maxNoise = 0;
    for (int i = 0; i < 1500; i++, t += 300_000) {
      double s = d.scoreAndLearn(t, 10 + 2 * r.nextDouble() - 1);
      assertThat(s).isBetween(0.0, 1.0);
      if (i > 1000) {
        maxNoise = Math.max(maxNoise, s);
      }
    }
    double shift = d.scoreAndLearn(t, 40);
    assertThat(shift).isGreaterThan(maxNoise);
  }

  @Test
  void ensembleNamesTheRangeRuleForANewExtreme() {
    NoveltyEnsembleDetector d = new NoveltyEnsembleDetector();
    for (int i = 0; i < 400; i++) {
      d.scoreAndLearn(i * 60_000L, i % 10);
    }
    assertThat(d.scoreAndLearn(400 * 60_000L, 30)).isEqualTo(1.0);
    assertThat(d.lastContributors()).containsExactly("range");
  }

  @Test
  void likelihoodIsHighOnlyForASustainedRiseInRawScores() {
    AnomalyLikelihood l = new AnomalyLikelihood(50, 500, 10, 100);
    Random r = new Random(1);
    double quiet = 0;
    for (int i = 0; i < 600; i++) {
      quiet = Math.max(quiet, i > 200 ? l.update(0.1 * r.nextDouble()) : l.update(0.05));
    }
    double loud = 0;
    for (int i = 0; i < 10; i++) {
      loud = l.update(1.0);
    }
    assertThat(quiet).isLessThan(0.5);
    assertThat(loud).isGreaterThan(0.9);
  }
}

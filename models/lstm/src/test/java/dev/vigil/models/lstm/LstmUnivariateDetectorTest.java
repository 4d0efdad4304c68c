package dev.vigil.models.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.models.univariate.UnivariateDetectors;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The NAB {@code lstm} detector on a noisy sine: silent while it learns, low on the sine it learnt,
 * high on a spike, and registered under its name.
 */
class LstmUnivariateDetectorTest {
  static double sine(int i, Random noise) {
    return 100 + 20 * Math.sin(2 * Math.PI * i / 40.0) + noise.nextGaussian();
  }

  @Test
  void scoresASpikeAboveTheSeriesItLearnt() {
    LstmUnivariateDetector d = LstmUnivariateDetector.small();
    Random noise = new Random(7);
    int i = 0;
    for (; i < LstmUnivariateDetector.TRAINING_POINTS; i++) {
      assertThat(d.scoreAndLearn(60_000L * i, sine(i, noise))).isZero();
    }
    assertThat(d.band()).isPositive();
    double usual = 0;
    for (; i < 600; i++) {
      usual = Math.max(usual, d.scoreAndLearn(60_000L * i, sine(i, noise)));
    }
    double spike = d.scoreAndLearn(60_000L * i, sine(i, noise) + 60);
    assertThat(spike).isGreaterThan(0.5).isGreaterThan(usual);
    i++;
    assertThat(d.scoreAndLearn(60_000L * i, Double.NaN)).isLessThan(spike);
  }

  @Test
  void refusesAMultiStepConfiguration() {
    assertThatThrownBy(
            () -> new LstmUnivariateDetector(LstmIncrementConfig.builder().horizon(30).build()))
        .hasMessageContaining("horizon must be 1");
  }

  @Test
  void isRegisteredAsLstm() {
    assertThat(UnivariateDetectors.available()).containsKey("lstm");
    assertThat(UnivariateDetectors.factory("lstm").get())
        .isInstanceOf(LstmUnivariateDetector.class);
  }
}

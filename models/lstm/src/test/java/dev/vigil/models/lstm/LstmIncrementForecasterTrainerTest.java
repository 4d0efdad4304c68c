package dev.vigil.models.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The bound on training sequences per epoch: recorded in the provenance, checked when built, a
 * no-op when the history cuts fewer sequences, and a seeded draw when it cuts more (the same seed
 * trains the same network).
 */
class LstmIncrementForecasterTrainerTest {
  static LstmIncrementConfig.Builder small() {
    return LstmIncrementConfig.builder().sequenceLength(12).horizon(5).hiddenSize(4).epochs(2);
  }

  static double[] forecast(LstmIncrementConfig config) {
    // 2 series x 200 rows: (200 - 17) / 3 + 1 = 62 sequences a series, 496 with the drifted copies.
    LstmIncrementForecaster f = LstmForwardPassTest.trained(config, 200);
    double[] history = new double[12];
    for (int i = 0; i < history.length; i++) {
      history[i] = 50 + i + (i % 2);
    }
    return f.forecast(history, 5);
  }

  @Test
  void theBoundIsInTheProvenance() {
    LstmIncrementForecaster f =
        LstmForwardPassTest.trained(small().maxSequencesPerEpoch(64).build(), 200);
    assertThat(f.provenance().trainerConfig()).containsEntry("maxSequencesPerEpoch", "64");
    assertThat(LstmIncrementConfig.builder().build().maxSequencesPerEpoch())
        .isEqualTo(LstmIncrementConfig.DEFAULT_MAX_SEQUENCES_PER_EPOCH);
  }

  @Test
  void aBoundAboveTheSequencesChangesNothing() {
    assertThat(forecast(small().maxSequencesPerEpoch(496).build()))
        .containsExactly(forecast(small().maxSequencesPerEpoch(Integer.MAX_VALUE).build()));
  }

  @Test
  void aBoundBelowIsASeededDraw() {
    double[] bounded = forecast(small().maxSequencesPerEpoch(64).build());
    assertThat(forecast(small().maxSequencesPerEpoch(64).build())).containsExactly(bounded);
    assertThat(bounded).isNotEqualTo(forecast(small().build()));
  }

  @Test
  void aBoundMustBePositive() {
    assertThatThrownBy(() -> small().maxSequencesPerEpoch(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSequencesPerEpoch must be greater than 0");
  }
}

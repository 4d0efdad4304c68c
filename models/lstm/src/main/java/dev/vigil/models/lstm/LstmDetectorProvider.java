package dev.vigil.models.lstm;

import dev.vigil.models.UnivariateDetector;
import dev.vigil.models.UnivariateDetectorProvider;

/** Registers {@code lstm} with {@link dev.vigil.models.univariate.UnivariateDetectors}. */
public final class LstmDetectorProvider implements UnivariateDetectorProvider {
  @Override
  public String name() {
    return "lstm";
  }

  @Override
  public String description() {
    return "LSTM increment forecaster (DL4J) trained on the first 300 points; one-step residual band";
  }

  @Override
  public UnivariateDetector create() {
    return LstmUnivariateDetector.small();
  }
}

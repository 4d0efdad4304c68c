package dev.vigil.models.iforest;

import dev.vigil.models.Detector;
import dev.vigil.models.DetectorResult;
import dev.vigil.models.FeatureVector;

/**
 * A batch-trained {@link IsolationForest} in the streaming {@link Detector} role: it scores each
 * point and does not learn from it (retraining is a batch job). The grade is positive at or above
 * the forest's contamination threshold.
 */
public final class IsolationForestDetector implements Detector {
  private final IsolationForest forest;

  public IsolationForestDetector(IsolationForest forest) {
    this.forest = forest;
  }

  @Override
  public DetectorResult scoreAndLearn(FeatureVector point) {
    double s = forest.score(point);
    double t = forest.threshold();
    double grade = s >= t ? Math.min(1, Math.max(1e-3, (s - t) / Math.max(1 - t, 1e-9))) : 0;
    return new DetectorResult(s, grade, new double[0], true);
  }

  @Override
  public String name() {
    return "isolation_forest";
  }
}

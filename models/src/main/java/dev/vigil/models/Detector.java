package dev.vigil.models;

/**
 * A streaming anomaly detector over fixed-length feature vectors. {@link #scoreAndLearn} scores a
 * point against what the detector has learnt so far and only then learns from it: results never
 * depend on later points. Implementations are not thread-safe; use one per series.
 */
public interface Detector {

  /** Scores the point, then updates the model with it. */
  DetectorResult scoreAndLearn(FeatureVector point);

  /** A short stable name for reports, e.g. {@code random_cut_forest}. */
  String name();

  /** A thresholded random cut forest with the given configuration. */
  static Detector randomCutForest(RandomCutForestConfig config) {
    return new RandomCutForestDetector(config);
  }
}

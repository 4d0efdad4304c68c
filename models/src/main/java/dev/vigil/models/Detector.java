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

  /**
   * What the detector has learnt, as bytes that {@link #restore} of a fresh detector with the same
   * configuration reads back exactly: fed the same points, the restored detector returns the same
   * results.
   *
   * @throws UnsupportedOperationException if the detector cannot save its state (the default)
   */
  default byte[] snapshot() {
    throw new UnsupportedOperationException(
        "the " + name() + " detector cannot save what it has learnt");
  }

  /**
   * Replaces what this fresh detector has learnt by a {@link #snapshot()} of one with the same
   * configuration. On failure the detector must be discarded.
   *
   * @throws IncompatibleModelException if the bytes are not such a snapshot
   * @throws UnsupportedOperationException if the detector cannot restore a state (the default)
   */
  default void restore(byte[] state) {
    throw new UnsupportedOperationException(
        "the " + name() + " detector cannot restore what it has learnt");
  }

  /** A thresholded random cut forest with the given configuration. */
  static Detector randomCutForest(RandomCutForestConfig config) {
    return new RandomCutForestDetector(config);
  }
}

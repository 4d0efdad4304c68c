package dev.vigil.models.iforest;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.ModelProvenance;
import java.util.List;

/**
 * A trained isolation forest (Liu, Ting and Zhou, "Isolation Forest", ICDM 2008): anomalies are few
 * and different, so random axis-parallel cuts isolate them in fewer steps. The score of a point is
 * {@code 2^(-E[h(x)] / c(psi))}, where {@code h} is its path length in a tree, {@code psi} the
 * per-tree sample size and {@code c} the average path length of an unsuccessful search in a binary
 * search tree; scores near 1 are anomalies, below 0.5 normal. Scoring is O(trees x log psi).
 *
 * <p>Immutable and thread-safe. Train with {@link IsolationForestTrainer}; save and load with
 * {@link IsolationForestState}.
 */
public final class IsolationForest {
  private static final double EULER_GAMMA = 0.5772156649015329;

  private final FeatureSchema schema;
  private final List<IsolationTree> trees;
  private final int sampleSize;
  private final double threshold;
  private final ModelProvenance provenance;

  IsolationForest(
      FeatureSchema schema,
      List<IsolationTree> trees,
      int sampleSize,
      double threshold,
      ModelProvenance provenance) {
    this.schema = schema;
    this.trees = List.copyOf(trees);
    this.sampleSize = sampleSize;
    this.threshold = threshold;
    this.provenance = provenance;
  }

  /** {@code c(n)}: the average path length of an unsuccessful search among n points. */
  static double averagePathLength(int n) {
    if (n <= 1) {
      return 0;
    }
    if (n == 2) {
      return 1;
    }
    double harmonic = Math.log(n - 1.0) + EULER_GAMMA;
    return 2 * harmonic - 2.0 * (n - 1) / n;
  }

  /** The anomaly score of a point in (0, 1]. */
  public double score(double[] x) {
    if (x.length != schema.dimensions()) {
      throw new IllegalArgumentException(
          "point has " + x.length + " values, the model expects " + schema.dimensions());
    }
    double total = 0;
    for (IsolationTree tree : trees) {
      total += tree.pathLength(x);
    }
    return Math.pow(2, -(total / trees.size()) / averagePathLength(sampleSize));
  }

  public double score(FeatureVector point) {
    return score(point.values());
  }

  /** Whether the point scores at or above the threshold the contamination set. */
  public boolean isAnomaly(FeatureVector point) {
    return score(point) >= threshold;
  }

  /** The score threshold: the {@code 1 - contamination} quantile of the training scores. */
  public double threshold() {
    return threshold;
  }

  public FeatureSchema schema() {
    return schema;
  }

  public ModelProvenance provenance() {
    return provenance;
  }

  public int sampleSize() {
    return sampleSize;
  }

  List<IsolationTree> trees() {
    return trees;
  }
}

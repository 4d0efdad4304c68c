package dev.vigil.models.iforest;

import dev.vigil.models.Trainer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configuration of {@link IsolationForestTrainer}. Build with {@link #builder()}; every value is
 * checked when built.
 *
 * @param numberOfTrees trees in the forest
 * @param sampleSize rows drawn (without replacement) to grow each tree; trees stop at depth {@code
 *     ceil(log2(sampleSize))}
 * @param contamination the expected share of anomalies in the training data, which sets the score
 *     threshold at the {@code 1 - contamination} quantile of the training scores
 * @param seed random seed
 */
public record IsolationForestConfig(
    int numberOfTrees, int sampleSize, double contamination, long seed) {

  public static final int DEFAULT_NUMBER_OF_TREES = 100;
  public static final int DEFAULT_SAMPLE_SIZE = 256;
  public static final double DEFAULT_CONTAMINATION = 0.01;

  public IsolationForestConfig {
    check(numberOfTrees > 0, "numberOfTrees must be greater than 0");
    check(sampleSize >= 2, "sampleSize must be at least 2");
    check(contamination > 0 && contamination < 0.5, "contamination must be in (0, 0.5)");
  }

  public static Builder builder() {
    return new Builder();
  }

  public static IsolationForestConfig defaults() {
    return builder().build();
  }

  /** The parameters by name, for provenance. */
  Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("numberOfTrees", Integer.toString(numberOfTrees));
    m.put("sampleSize", Integer.toString(sampleSize));
    m.put("contamination", Double.toString(contamination));
    m.put("seed", Long.toString(seed));
    return m;
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Builder with the documented defaults. */
  public static final class Builder {
    private int numberOfTrees = DEFAULT_NUMBER_OF_TREES;
    private int sampleSize = DEFAULT_SAMPLE_SIZE;
    private double contamination = DEFAULT_CONTAMINATION;
    private long seed = Trainer.DEFAULT_SEED;

    private Builder() {}

    public Builder numberOfTrees(int v) {
      numberOfTrees = v;
      return this;
    }

    public Builder sampleSize(int v) {
      sampleSize = v;
      return this;
    }

    public Builder contamination(double v) {
      contamination = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public IsolationForestConfig build() {
      return new IsolationForestConfig(numberOfTrees, sampleSize, contamination, seed);
    }
  }
}

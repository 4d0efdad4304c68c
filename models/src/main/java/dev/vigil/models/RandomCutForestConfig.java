package dev.vigil.models;

/**
 * Configuration of {@link Detector#randomCutForest}.
 *
 * @param dimensions features per point
 * @param shingleSize consecutive points the forest sees as one (internal shingling)
 * @param sampleSize points kept per tree
 * @param numberOfTrees trees in the forest
 * @param outputAfter points learnt before the detector starts to grade
 * @param anomalyRate the expected fraction of anomalous points, which sets the threshold
 * @param seed random seed, for reproducible results
 */
public record RandomCutForestConfig(
    int dimensions,
    int shingleSize,
    int sampleSize,
    int numberOfTrees,
    int outputAfter,
    double anomalyRate,
    long seed) {

  public static final int DEFAULT_SHINGLE_SIZE = 4;
  public static final int DEFAULT_SAMPLE_SIZE = 256;
  public static final int DEFAULT_NUMBER_OF_TREES = 30;
  public static final int DEFAULT_OUTPUT_AFTER = 32;
  public static final double DEFAULT_ANOMALY_RATE = 0.005;
  public static final long DEFAULT_SEED = 42L;

  public RandomCutForestConfig {
    check(dimensions > 0, "dimensions must be greater than 0");
    check(shingleSize > 0, "shingleSize must be greater than 0");
    check(sampleSize >= 16, "sampleSize must be at least 16");
    check(numberOfTrees > 0, "numberOfTrees must be greater than 0");
    check(outputAfter > 0, "outputAfter must be greater than 0");
    check(anomalyRate > 0 && anomalyRate < 0.5, "anomalyRate must be in (0, 0.5)");
  }

  /** The defaults for a vector of the given length. */
  public static RandomCutForestConfig defaults(int dimensions) {
    return new RandomCutForestConfig(
        dimensions,
        DEFAULT_SHINGLE_SIZE,
        DEFAULT_SAMPLE_SIZE,
        DEFAULT_NUMBER_OF_TREES,
        DEFAULT_OUTPUT_AFTER,
        DEFAULT_ANOMALY_RATE,
        DEFAULT_SEED);
  }

  public RandomCutForestConfig withSeed(long seed) {
    return new RandomCutForestConfig(
        dimensions, shingleSize, sampleSize, numberOfTrees, outputAfter, anomalyRate, seed);
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}

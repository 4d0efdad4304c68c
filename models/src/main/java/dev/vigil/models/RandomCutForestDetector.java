package dev.vigil.models;

import com.amazon.randomcutforest.config.ForestMode;
import com.amazon.randomcutforest.config.TransformMethod;
import com.amazon.randomcutforest.parkservices.AnomalyDescriptor;
import com.amazon.randomcutforest.parkservices.ThresholdedRandomCutForest;
import com.amazon.randomcutforest.parkservices.state.ThresholdedRandomCutForestMapper;
import com.amazon.randomcutforest.parkservices.state.ThresholdedRandomCutForestState;
import dev.vigil.models.internal.StateCodec;

/**
 * Streaming anomaly detection with a thresholded random cut forest (Guha, Mishra, Roy and
 * Schrijvers, "Robust random cut forest based anomaly detection on streams", ICML 2016), using
 * AWS's {@code randomcutforest-parkservices}: inputs are normalised and shingled inside the forest,
 * and the forest's own adaptive threshold turns scores into grades. Scoring and updating cost
 * O(trees x log(sampleSize)) per point.
 *
 * <p>Its state is saved with the library's own {@link ThresholdedRandomCutForestMapper} (the
 * forest's trees, point store, random generators, normaliser and thresholder) and written as CBOR
 * by Jackson; a restored forest continues exactly as the saved one would have.
 */
final class RandomCutForestDetector implements Detector {
  private final int dimensions;
  private final int shingleSize;
  private ThresholdedRandomCutForest forest;
  private long sequence;

  RandomCutForestDetector(RandomCutForestConfig config) {
    this.dimensions = config.dimensions();
    this.shingleSize = config.shingleSize();
    this.forest =
        ThresholdedRandomCutForest.builder()
            .dimensions(config.dimensions() * config.shingleSize())
            .shingleSize(config.shingleSize())
            .internalShinglingEnabled(true)
            .sampleSize(config.sampleSize())
            .numberOfTrees(config.numberOfTrees())
            .outputAfter(config.outputAfter())
            .anomalyRate(config.anomalyRate())
            .forestMode(ForestMode.STANDARD)
            .transformMethod(TransformMethod.NORMALIZE)
            .randomSeed(config.seed())
            .autoAdjust(true)
            .build();
  }

  @Override
  public DetectorResult scoreAndLearn(FeatureVector point) {
    if (point.dimensions() != dimensions) {
      throw new IllegalArgumentException(
          "point has " + point.dimensions() + " features, the detector expects " + dimensions);
    }
    AnomalyDescriptor d = forest.process(point.values(), sequence++);
    if (d.getRCFScore() == 0 && d.getAnomalyGrade() == 0 && d.getTotalUpdates() <= 1) {
      return DetectorResult.WARMING_UP;
    }
    double[] attribution = normalised(d.getRelevantAttribution());
    return new DetectorResult(
        d.getRCFScore(), d.getAnomalyGrade(), attribution, d.getRCFScore() > 0);
  }

  /**
   * The forest's state, by the library's mapper, and the sequence number of the next point.
   *
   * @param forest the thresholded forest's state
   * @param sequence the sequence number of the next point
   */
  record State(ThresholdedRandomCutForestState forest, long sequence) {}

  @Override
  public byte[] snapshot() {
    return StateCodec.write(
        new State(new ThresholdedRandomCutForestMapper().toState(forest), sequence));
  }

  @Override
  public void restore(byte[] bytes) {
    State state = StateCodec.read(bytes, State.class, "random cut forest state");
    ThresholdedRandomCutForest restored;
    try {
      restored = new ThresholdedRandomCutForestMapper().toModel(state.forest());
    } catch (RuntimeException e) {
      throw new IncompatibleModelException(
          "random cut forest state cannot be restored: " + e.getMessage());
    }
    int restoredShingle = restored.getForest().getShingleSize();
    int restoredDimensions = restored.getForest().getDimensions();
    if (restoredShingle != shingleSize || restoredDimensions != dimensions * shingleSize) {
      throw new IncompatibleModelException(
          "random cut forest state has "
              + restoredDimensions / Math.max(1, restoredShingle)
              + " features shingled by "
              + restoredShingle
              + " but this detector has "
              + dimensions
              + " shingled by "
              + shingleSize);
    }
    forest = restored;
    sequence = state.sequence();
  }

  private static double[] normalised(double[] a) {
    if (a == null) {
      return new double[0];
    }
    double sum = 0;
    for (double v : a) {
      sum += v;
    }
    double[] out = a.clone();
    if (sum > 0) {
      for (int i = 0; i < out.length; i++) {
        out[i] /= sum;
      }
    }
    return out;
  }

  @Override
  public String name() {
    return "random_cut_forest";
  }
}

package dev.vigil.models.iforest;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.ModelProvenance;
import dev.vigil.models.Trainer;
import dev.vigil.models.TrainingSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains an {@link IsolationForest} in batch: each tree is grown on {@code sampleSize} rows drawn
 * without replacement, and the alarm threshold is the {@code 1 - contamination} quantile of the
 * training rows' scores. O(trees x psi log psi) to grow, plus O(n x trees x log psi) to score the
 * training rows for the threshold.
 *
 * <p>Written here because Tribuo (4.3) has no isolation forest and Smile's is GPL. The batch
 * retraining job reaches it through {@link TribuoIsolationForestTrainer}, a Tribuo {@code Trainer}
 * over the anomaly task's {@code Event}s, so that it is compared with Tribuo's one-class SVM by
 * Tribuo's {@code AnomalyEvaluator}; this class is the algorithm both paths share.
 */
public final class IsolationForestTrainer implements Trainer<IsolationForest> {
  private final IsolationForestConfig config;
  private final Clock clock;

  public IsolationForestTrainer(IsolationForestConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** A trainer with the default configuration and the system clock for provenance. */
  public IsolationForestTrainer() {
    this(IsolationForestConfig.defaults(), Clock.systemUTC());
  }

  @Override
  public String name() {
    return "isolation_forest";
  }

  @Override
  public IsolationForest train(TrainingSet data) {
    double[][] rows = new double[data.rows().size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = data.rows().get(i).values();
    }
    IsolationForest forest = train(rows, data);
    return forest;
  }

  private IsolationForest train(double[][] rows, TrainingSet data) {
    return train(rows, data.schema(), data.start(), data.end());
  }

  /**
   * Trains on rows already in {@code schema}'s order whose event times span [start, end]: the path
   * of {@link TribuoIsolationForestTrainer}, whose datasets carry no event times.
   */
  IsolationForest train(double[][] rows, FeatureSchema schema, Instant start, Instant end) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("rows must not be empty");
    }
    SplittableRandom random = new SplittableRandom(config.seed());
    int psi = Math.min(config.sampleSize(), rows.length);
    int heightLimit = (int) Math.ceil(Math.log(Math.max(psi, 2)) / Math.log(2));
    List<IsolationTree> trees = new ArrayList<>(config.numberOfTrees());
    for (int t = 0; t < config.numberOfTrees(); t++) {
      trees.add(IsolationTree.grow(sample(rows, psi, random), heightLimit, random.split()));
    }
    ModelProvenance provenance =
        new ModelProvenance(
            name(),
            config.asMap(),
            start,
            end,
            rows.length,
            schema.hash(),
            config.seed(),
            ModelProvenance.currentCodeVersion(),
            clock.instant());
    IsolationForest unthresholded = new IsolationForest(schema, trees, psi, 1, provenance);
    double[] scores = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      scores[i] = unthresholded.score(rows[i]);
    }
    Arrays.sort(scores);
    int q = (int) Math.min(rows.length - 1, Math.floor((1 - config.contamination()) * rows.length));
    return new IsolationForest(schema, trees, psi, scores[q], provenance);
  }

  /** Trains on raw rows under the given schema; convenience for streaming retraining. */
  public IsolationForest train(FeatureSchema schema, List<FeatureVector> rows) {
    return train(new TrainingSet(schema, rows));
  }

  private static double[][] sample(double[][] rows, int k, SplittableRandom random) {
    int[] index = new int[rows.length];
    Arrays.setAll(index, i -> i);
    double[][] out = new double[k][];
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(rows.length - i);
      int t = index[i];
      index[i] = index[j];
      index[j] = t;
      out[i] = rows[index[i]];
    }
    return out;
  }
}

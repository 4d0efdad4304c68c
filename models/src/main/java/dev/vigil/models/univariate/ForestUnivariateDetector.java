package dev.vigil.models.univariate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.models.Detector;
import dev.vigil.models.DetectorResult;
import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.IncompatibleModelException;
import dev.vigil.models.RandomCutForestConfig;
import dev.vigil.models.UnivariateDetector;
import dev.vigil.models.iforest.IsolationForest;
import dev.vigil.models.iforest.IsolationForestConfig;
import dev.vigil.models.iforest.IsolationForestState;
import dev.vigil.models.iforest.IsolationForestTrainer;
import dev.vigil.models.internal.StateCodec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Forest detectors on one series, calibrated by {@link RecordNovelty}: the streaming random cut
 * forest on the series shingled by 8 ({@link #randomCutForest()}), or an isolation forest over the
 * last 8 values (min-max scaled by the range seen so far) that is trained in batch on the first 300
 * shingles and retrained every 1000 points on the last 2000 ({@link #isolationForest()}). Both
 * score each point before it is learnt.
 */
public final class ForestUnivariateDetector implements UnivariateDetector {
  static final int SHINGLE = 8;
  static final int FIRST_TRAINING = 300;
  static final int RETRAIN_EVERY = 1000;
  static final int TRAINING_WINDOW = 2000;
  private static final FeatureSchema SHINGLE_SCHEMA =
      new FeatureSchema(
          List.of("x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7"), "min-max by range so far");
  private static final Clock EPOCH = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

  private final String name;
  private final Detector rcf;
  private final RecordNovelty novelty = NoveltyEnsembleDetector.defaultNovelty();
  private final Deque<double[]> trainingRows = new ArrayDeque<>();
  private final double[] shingle = new double[SHINGLE];
  private IsolationForest forest;
  private long count;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  private ForestUnivariateDetector(String name, Detector rcf) {
    this.name = name;
    this.rcf = rcf;
  }

  /** AWS's thresholded random cut forest over the series shingled by 8; the raw RCF score. */
  public static ForestUnivariateDetector randomCutForest() {
    RandomCutForestConfig config =
        new RandomCutForestConfig(
            1, SHINGLE, 256, 50, 32, 0.005, RandomCutForestConfig.DEFAULT_SEED);
    return new ForestUnivariateDetector("random_cut_forest", Detector.randomCutForest(config));
  }

  /** A batch-trained, periodically retrained isolation forest over shingles of 8 values. */
  public static ForestUnivariateDetector isolationForest() {
    return new ForestUnivariateDetector("isolation_forest", null);
  }

  @Override
  public double scoreAndLearn(long epochMillis, double value) {
    if (rcf != null) {
      DetectorResult r =
          rcf.scoreAndLearn(
              new FeatureVector(Instant.ofEpochMilli(epochMillis), new double[] {value}));
      return novelty.update(r.ready() ? r.score() : -1);
    }
    System.arraycopy(shingle, 1, shingle, 0, SHINGLE - 1);
    shingle[SHINGLE - 1] = value;
    min = Math.min(min, value);
    max = Math.max(max, value);
    count++;
    if (count < SHINGLE) {
      return 0;
    }
    double[] row = scaled();
    double raw = forest == null ? -1 : forest.score(row);
    trainingRows.addLast(shingle.clone());
    if (trainingRows.size() > TRAINING_WINDOW) {
      trainingRows.removeFirst();
    }
    if (count == FIRST_TRAINING || (count > FIRST_TRAINING && count % RETRAIN_EVERY == 0)) {
      retrain();
    }
    return novelty.update(raw);
  }

  private double[] scaled() {
    double span = max > min ? max - min : 1;
    double[] row = new double[SHINGLE];
    for (int i = 0; i < SHINGLE; i++) {
      row[i] = (shingle[i] - min) / span;
    }
    return row;
  }

  private void retrain() {
    double span = max > min ? max - min : 1;
    List<FeatureVector> rows = new ArrayList<>(trainingRows.size());
    long i = 0;
    for (double[] raw : trainingRows) {
      double[] row = new double[SHINGLE];
      for (int k = 0; k < SHINGLE; k++) {
        row[k] = (raw[k] - min) / span;
      }
      rows.add(new FeatureVector(Instant.ofEpochMilli(i++), row));
    }
    IsolationForestConfig config = IsolationForestConfig.builder().numberOfTrees(50).build();
    forest = new IsolationForestTrainer(config, EPOCH).train(SHINGLE_SCHEMA, rows);
  }

  /**
   * What the detector has learnt.
   *
   * @param rcf the random cut forest's snapshot, null for the isolation forest
   * @param novelty the calibration's state
   * @param trainingRows the isolation forest's last raw shingles, oldest first
   * @param shingle the last values
   * @param forest the trained isolation forest ({@link IsolationForestState}), null before the
   *     first training and for the random cut forest
   * @param count values seen
   * @param min the smallest value seen
   * @param max the largest value seen
   */
  record State(
      byte[] rcf,
      RecordNovelty.State novelty,
      double[][] trainingRows,
      double[] shingle,
      JsonNode forest,
      long count,
      double min,
      double max) {}

  @Override
  public byte[] snapshot() {
    return StateCodec.write(
        new State(
            rcf == null ? null : rcf.snapshot(),
            novelty.state(),
            trainingRows.toArray(double[][]::new),
            shingle.clone(),
            forest == null ? null : IsolationForestState.toTree(forest),
            count,
            min,
            max));
  }

  @Override
  public void restore(byte[] bytes) {
    String what = name() + " detector state";
    State state = StateCodec.read(bytes, State.class, what);
    if ((state.rcf() == null) != (rcf == null) || state.shingle().length != SHINGLE) {
      throw new IncompatibleModelException(what + " was written by another kind of forest");
    }
    if (rcf != null) {
      rcf.restore(state.rcf());
    }
    novelty.restore(state.novelty());
    trainingRows.clear();
    for (double[] row : state.trainingRows()) {
      if (row.length != SHINGLE) {
        throw new IncompatibleModelException(what + " has a training row of " + row.length);
      }
      trainingRows.addLast(row.clone());
    }
    System.arraycopy(state.shingle(), 0, shingle, 0, SHINGLE);
    JsonNode trained = state.forest();
    forest =
        trained == null || trained.isNull() ? null : IsolationForestState.fromTree(trained, what);
    count = state.count();
    min = state.min();
    max = state.max();
  }

  @Override
  public String name() {
    return name;
  }
}

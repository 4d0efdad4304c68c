package dev.vigil.models.lstm;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.TrainingSet;
import dev.vigil.models.UnivariateDetector;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The LSTM forecaster of the predictive alerts ({@link LstmIncrementForecaster}) as a streaming
 * univariate detector: it buffers the first {@code TRAINING_POINTS} values, trains a small one-step
 * forecaster on them in batch, calibrates a band on its one-step residuals over the same points,
 * and from then on scores each value by its one-step residual in units of that band, before the
 * value joins the history. Residuals are measured in standard deviations of the last {@code
 * HISTORY} values, so the band adapts to a series whose spread grows or shrinks. Scores are {@code
 * r / (1 + r)} of the band score r, so 0.5 is the band's edge, and are only reported in full when
 * the band score breaks its previous record (half of 0.99 of the score otherwise), like the other
 * Vigil univariate detectors.
 */
public final class LstmUnivariateDetector implements UnivariateDetector {
  static final int TRAINING_POINTS = 300;

  /** The band is {@code BAND_WIDTH} times this quantile of the training residuals. */
  static final double BAND_QUANTILE = 0.99;

  static final double BAND_WIDTH = 1.5;

  /** Values whose standard deviation is the unit of a residual. */
  static final int HISTORY = 120;

  private static final FeatureSchema SCHEMA = FeatureSchema.of("value");

  private final LstmIncrementConfig config;
  private final List<FeatureVector> buffer = new ArrayList<>();
  private final double[] history;
  private int historySize;
  private LstmIncrementForecaster forecaster;
  private double band;
  private double record;

  /**
   * @param config a one-step configuration ({@code horizon} 1) of the forecaster
   */
  public LstmUnivariateDetector(LstmIncrementConfig config) {
    if (config.horizon() != 1) {
      throw new IllegalArgumentException(
          "the detector scores one-step residuals: horizon must be 1, got " + config.horizon());
    }
    if (config.sequenceLength() >= TRAINING_POINTS) {
      throw new IllegalArgumentException(
          "sequenceLength must be below the "
              + TRAINING_POINTS
              + " training points, got "
              + config.sequenceLength());
    }
    this.config = config;
    this.history = new double[Math.max(HISTORY, config.sequenceLength())];
  }

  /** A small one-step configuration that trains on 300 points in a second or two. */
  public static LstmUnivariateDetector small() {
    return new LstmUnivariateDetector(
        LstmIncrementConfig.builder()
            .sequenceLength(30)
            .horizon(1)
            .stride(2)
            .hiddenSize(8)
            .epochs(3)
            .batchSize(32)
            .augmentations(0)
            .build());
  }

  @Override
  public double scoreAndLearn(long epochMillis, double value) {
    double score = 0;
    if (forecaster != null && historySize == history.length && Double.isFinite(value)) {
      double r = residual(history, value) / band;
      double u = r / (1 + r);
      score = r > record ? u : 0.99 * u * 0.5;
      record = Math.max(record, r);
    }
    if (!Double.isFinite(value)) {
      return score;
    }
    System.arraycopy(history, 1, history, 0, history.length - 1);
    history[history.length - 1] = value;
    historySize = Math.min(history.length, historySize + 1);
    if (forecaster == null) {
      buffer.add(new FeatureVector(Instant.ofEpochMilli(epochMillis), new double[] {value}));
      if (buffer.size() == TRAINING_POINTS) {
        train();
      }
    }
    return score;
  }

  private void train() {
    forecaster =
        new LstmIncrementForecasterTrainer(config, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
            .train(new TrainingSet(SCHEMA, buffer));
    double[] values = buffer.stream().mapToDouble(v -> v.values()[0]).toArray();
    int h = history.length;
    double[] residuals = new double[values.length - h];
    for (int t = h; t < values.length; t++) {
      residuals[t - h] = residual(Arrays.copyOfRange(values, t - h, t), values[t]);
    }
    Arrays.sort(residuals);
    int q = (int) Math.min(residuals.length - 1, Math.floor(BAND_QUANTILE * residuals.length));
    band = Math.max(BAND_WIDTH * residuals[q], 1e-3);
    buffer.clear();
  }

  /** The one-step residual in standard deviations of the history. */
  private double residual(double[] h, double actual) {
    double mean = 0;
    for (double x : h) {
      mean += x;
    }
    mean /= h.length;
    double ss = 0;
    for (double x : h) {
      ss += (x - mean) * (x - mean);
    }
    double sd = Math.max(Math.sqrt(ss / h.length), 1e-6 * Math.max(1, Math.abs(mean)));
    return Math.abs(actual - forecaster.forecast(h, 1)[0]) / sd;
  }

  /** Half-width of the residual band in standard deviations; 0 before training. */
  double band() {
    return band;
  }

  @Override
  public String name() {
    return "lstm";
  }
}

package dev.vigil.models.lstm;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.TrainingSet;
import dev.vigil.models.UnivariateDetector;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The LSTM forecaster as a streaming univariate detector: it buffers the first {@code
 * trainingPoints} values, trains a small forecaster on them in batch, and from then on scores each
 * value by its one-step residual in units of the calibrated band, before the value joins the
 * history. Scores are {@code r / (1 + r)} of the band score r, so 0.5 is the band's edge, and are
 * only reported when the band score breaks its previous record (times 0.99 of the score otherwise),
 * like the other Vigil univariate detectors.
 */
public final class LstmUnivariateDetector implements UnivariateDetector {
  static final int TRAINING_POINTS = 300;
  static final int HISTORY = 120;
  private static final FeatureSchema SCHEMA = FeatureSchema.of("value");

  private final LstmForecasterConfig config;
  private final List<FeatureVector> buffer = new ArrayList<>();
  private final double[] history = new double[HISTORY];
  private int historySize;
  private LstmForecaster forecaster;
  private double record;

  public LstmUnivariateDetector(LstmForecasterConfig config) {
    this.config = config;
  }

  /** A tiny configuration that trains on 300 points in a few seconds. */
  public static LstmUnivariateDetector small() {
    return new LstmUnivariateDetector(
        LstmForecasterConfig.builder()
            .sequenceLength(30)
            .stride(2)
            .hiddenSize(8)
            .epochs(3)
            .batchSize(32)
            .build());
  }

  @Override
  public double scoreAndLearn(long epochMillis, double value) {
    double score = 0;
    if (forecaster != null && historySize == HISTORY) {
      double r = forecaster.bandScore(history.clone(), value);
      double u = r / (1 + r);
      score = r > record ? u : 0.99 * u * 0.5;
      record = Math.max(record, r);
    }
    System.arraycopy(history, 1, history, 0, HISTORY - 1);
    history[HISTORY - 1] = value;
    historySize = Math.min(HISTORY, historySize + 1);
    if (forecaster == null) {
      buffer.add(new FeatureVector(Instant.ofEpochMilli(epochMillis), new double[] {value}));
      if (buffer.size() == TRAINING_POINTS) {
        forecaster =
            new LstmForecasterTrainer(config, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
                .train(new TrainingSet(SCHEMA, buffer));
        buffer.clear();
      }
    }
    return score;
  }

  @Override
  public String name() {
    return "lstm";
  }
}

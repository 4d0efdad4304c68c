package dev.vigil.models.lstm;

import dev.vigil.models.Trainer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configuration of {@link LstmForecasterTrainer}. Build with {@link #builder()}; every value is
 * checked when built.
 *
 * @param sequenceLength steps of history the network reads (e.g. 60 one-minute points)
 * @param stride steps between the starts of two training sequences
 * @param hiddenSize LSTM units
 * @param epochs passes over the training sequences
 * @param batchSize sequences per gradient step
 * @param learningRate Adam's learning rate
 * @param bandQuantile quantile of the absolute one-step training residuals that sets the band
 * @param bandWidth the band is {@code bandWidth} times that quantile
 * @param seed random seed of weight initialisation and shuffling
 */
public record LstmForecasterConfig(
    int sequenceLength,
    int stride,
    int hiddenSize,
    int epochs,
    int batchSize,
    double learningRate,
    double bandQuantile,
    double bandWidth,
    long seed) {

  public static final int DEFAULT_SEQUENCE_LENGTH = 60;
  public static final int DEFAULT_STRIDE = 10;
  public static final int DEFAULT_HIDDEN_SIZE = 32;
  public static final int DEFAULT_EPOCHS = 5;
  public static final int DEFAULT_BATCH_SIZE = 64;
  public static final double DEFAULT_LEARNING_RATE = 0.01;
  public static final double DEFAULT_BAND_QUANTILE = 0.99;
  public static final double DEFAULT_BAND_WIDTH = 1.5;

  public LstmForecasterConfig {
    check(sequenceLength >= 2, "sequenceLength must be at least 2");
    check(stride > 0, "stride must be greater than 0");
    check(hiddenSize > 0, "hiddenSize must be greater than 0");
    check(epochs > 0, "epochs must be greater than 0");
    check(batchSize > 0, "batchSize must be greater than 0");
    check(learningRate > 0, "learningRate must be greater than 0");
    check(bandQuantile > 0 && bandQuantile < 1, "bandQuantile must be in (0, 1)");
    check(bandWidth > 0, "bandWidth must be greater than 0");
  }

  public static Builder builder() {
    return new Builder();
  }

  Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("sequenceLength", Integer.toString(sequenceLength));
    m.put("stride", Integer.toString(stride));
    m.put("hiddenSize", Integer.toString(hiddenSize));
    m.put("epochs", Integer.toString(epochs));
    m.put("batchSize", Integer.toString(batchSize));
    m.put("learningRate", Double.toString(learningRate));
    m.put("bandQuantile", Double.toString(bandQuantile));
    m.put("bandWidth", Double.toString(bandWidth));
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
    private int sequenceLength = DEFAULT_SEQUENCE_LENGTH;
    private int stride = DEFAULT_STRIDE;
    private int hiddenSize = DEFAULT_HIDDEN_SIZE;
    private int epochs = DEFAULT_EPOCHS;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private double learningRate = DEFAULT_LEARNING_RATE;
    private double bandQuantile = DEFAULT_BAND_QUANTILE;
    private double bandWidth = DEFAULT_BAND_WIDTH;
    private long seed = Trainer.DEFAULT_SEED;

    private Builder() {}

    public Builder sequenceLength(int v) {
      sequenceLength = v;
      return this;
    }

    public Builder stride(int v) {
      stride = v;
      return this;
    }

    public Builder hiddenSize(int v) {
      hiddenSize = v;
      return this;
    }

    public Builder epochs(int v) {
      epochs = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    public Builder bandQuantile(double v) {
      bandQuantile = v;
      return this;
    }

    public Builder bandWidth(double v) {
      bandWidth = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public LstmForecasterConfig build() {
      return new LstmForecasterConfig(
          sequenceLength,
          stride,
          hiddenSize,
          epochs,
          batchSize,
          learningRate,
          bandQuantile,
          bandWidth,
          seed);
    }
  }
}

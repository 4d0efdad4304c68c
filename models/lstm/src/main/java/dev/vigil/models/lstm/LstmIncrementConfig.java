package dev.vigil.models.lstm;

import dev.vigil.models.Trainer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configuration of {@link LstmIncrementForecasterTrainer}. Build with {@link #builder()}; every
 * value is checked when built.
 *
 * @param sequenceLength windows of history the network reads
 * @param horizon windows ahead the network forecasts in one pass
 * @param stride windows between the starts of two training sequences of a series
 * @param hiddenSize LSTM units
 * @param epochs passes over the training sequences
 * @param batchSize sequences per gradient step
 * @param learningRate Adam's learning rate
 * @param augmentations drifted copies made of each training sequence (a ramp or a level shift of
 *     random size and start, in units of the sequence's noise), so that the network learns what a
 *     leak looks like from a history that has none
 * @param maxSequencesPerEpoch training sequences (drifted copies included) a pass sees at most:
 *     each epoch takes this many of the shuffled sequences, a new random draw (from {@code seed})
 *     every epoch, so that a long history of many series trains in bounded time (a day of 50
 *     services cuts some 430,000 sequences; BENCHMARKS.md)
 * @param seed random seed of weight initialisation, augmentation, shuffling and sampling
 */
public record LstmIncrementConfig(
    int sequenceLength,
    int horizon,
    int stride,
    int hiddenSize,
    int epochs,
    int batchSize,
    double learningRate,
    int augmentations,
    int maxSequencesPerEpoch,
    long seed) {

  public static final int DEFAULT_SEQUENCE_LENGTH = 60;
  public static final int DEFAULT_HORIZON = 30;
  public static final int DEFAULT_STRIDE = 3;
  public static final int DEFAULT_HIDDEN_SIZE = 24;
  public static final int DEFAULT_EPOCHS = 8;
  public static final int DEFAULT_BATCH_SIZE = 128;
  public static final double DEFAULT_LEARNING_RATE = 0.01;
  public static final int DEFAULT_AUGMENTATIONS = 3;

  /**
   * 128 batches of the default size: above what two hours of the demo's 12 services cut (about
   * 7,200 with the drifted copies), so that history trains on every sequence.
   */
  public static final int DEFAULT_MAX_SEQUENCES_PER_EPOCH = 16_384;

  public LstmIncrementConfig {
    check(sequenceLength >= 3, "sequenceLength must be at least 3, got " + sequenceLength);
    check(horizon >= 1, "horizon must be at least 1, got " + horizon);
    check(stride > 0, "stride must be greater than 0, got " + stride);
    check(hiddenSize > 0, "hiddenSize must be greater than 0, got " + hiddenSize);
    check(epochs > 0, "epochs must be greater than 0, got " + epochs);
    check(batchSize > 0, "batchSize must be greater than 0, got " + batchSize);
    check(learningRate > 0, "learningRate must be greater than 0, got " + learningRate);
    check(augmentations >= 0, "augmentations must not be negative, got " + augmentations);
    check(
        maxSequencesPerEpoch > 0,
        "maxSequencesPerEpoch must be greater than 0, got " + maxSequencesPerEpoch);
  }

  public static Builder builder() {
    return new Builder();
  }

  Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("sequenceLength", Integer.toString(sequenceLength));
    m.put("horizon", Integer.toString(horizon));
    m.put("stride", Integer.toString(stride));
    m.put("hiddenSize", Integer.toString(hiddenSize));
    m.put("epochs", Integer.toString(epochs));
    m.put("batchSize", Integer.toString(batchSize));
    m.put("learningRate", Double.toString(learningRate));
    m.put("augmentations", Integer.toString(augmentations));
    m.put("maxSequencesPerEpoch", Integer.toString(maxSequencesPerEpoch));
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
    private int horizon = DEFAULT_HORIZON;
    private int stride = DEFAULT_STRIDE;
    private int hiddenSize = DEFAULT_HIDDEN_SIZE;
    private int epochs = DEFAULT_EPOCHS;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private double learningRate = DEFAULT_LEARNING_RATE;
    private int augmentations = DEFAULT_AUGMENTATIONS;
    private int maxSequencesPerEpoch = DEFAULT_MAX_SEQUENCES_PER_EPOCH;
    private long seed = Trainer.DEFAULT_SEED;

    private Builder() {}

    public Builder sequenceLength(int v) {
      sequenceLength = v;
      return this;
    }

    public Builder horizon(int v) {
      horizon = v;
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

    public Builder augmentations(int v) {
      augmentations = v;
      return this;
    }

    public Builder maxSequencesPerEpoch(int v) {
      maxSequencesPerEpoch = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public LstmIncrementConfig build() {
      return new LstmIncrementConfig(
          sequenceLength,
          horizon,
          stride,
          hiddenSize,
          epochs,
          batchSize,
          learningRate,
          augmentations,
          maxSequencesPerEpoch,
          seed);
    }
  }
}

package dev.vigil.models.lstm;

import dev.vigil.models.ModelProvenance;
import dev.vigil.models.Trainer;
import dev.vigil.models.TrainingSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Trains one {@link LstmIncrementForecaster} in batch on many series at once with Deeplearning4j on
 * the CPU (Hochreiter and Schmidhuber, "Long short-term memory", Neural Computation 9(8), 1997; the
 * increments as in Box and Jenkins' ARIMA with d = 1). Each column of the {@link TrainingSet} is
 * one series, e.g. one service's p95 latency per window; missing values (NaN) split it. Every
 * {@code stride} windows a sequence of {@code sequenceLength} history values and the {@code
 * horizon} values after them is cut, seen as increments and levels in units of its history's noise,
 * and the network learns the change from the last value at every step of the horizon (mean squared
 * error).
 *
 * <p>A production history rarely holds a leak, yet a leak is what the forecaster must extrapolate.
 * So each sequence is also copied {@code augmentations} times with a synthetic drift added: a
 * linear ramp that starts somewhere in the history and goes on through the horizon (a leak, a
 * filling queue; rising four times out of five), or a level shift in the history (a deploy; the
 * series then stays at its new level). Sizes are drawn in units of the sequence's own noise (ramps
 * of 0.02 to 1 noise units per window, log-uniform; shifts of 2 to 10 units), so the augmentation
 * has no unit or constant of any dataset.
 *
 * <p>Cost: O(epochs x min(sequences x (1 + augmentations), maxSequencesPerEpoch) x sequenceLength x
 * hiddenSize^2), plus the memory of every cut sequence (some 700 bytes each).
 */
public final class LstmIncrementForecasterTrainer implements Trainer<LstmIncrementForecaster> {
  private final LstmIncrementConfig config;
  private final Clock clock;

  public LstmIncrementForecasterTrainer(LstmIncrementConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "lstm_increment_forecaster";
  }

  @Override
  public LstmIncrementForecaster train(TrainingSet data) {
    int l = config.sequenceLength();
    int h = config.horizon();
    Random random = new Random(config.seed());
    List<float[][]> inputs = new ArrayList<>();
    List<float[]> labels = new ArrayList<>();
    int columns = data.schema().dimensions();
    for (int c = 0; c < columns; c++) {
      double[] raw = new double[data.rows().size()];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = data.rows().get(i).values()[c];
      }
      for (int start = 0; start + l + h <= raw.length; start += config.stride()) {
        double[] seq = Arrays.copyOfRange(raw, start, start + l + h);
        if (!Arrays.stream(seq).allMatch(Double::isFinite)) {
          continue;
        }
        add(seq, inputs, labels);
        double noise = IncrementScaling.of(seq, 0, l).scale();
        for (int a = 0; a < config.augmentations(); a++) {
          add(drifted(seq, noise, random), inputs, labels);
        }
      }
    }
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException(
          "no series has "
              + (l + h)
              + " consecutive finite values (sequenceLength "
              + l
              + " + horizon "
              + h
              + "); "
              + data.rows().size()
              + " rows given");
    }
    MultiLayerNetwork network = network();
    Integer[] order = new Integer[inputs.size()];
    int perEpoch = Math.min(order.length, config.maxSequencesPerEpoch());
    for (int epoch = 0; epoch < config.epochs(); epoch++) {
      Arrays.setAll(order, i -> i);
      Collections.shuffle(Arrays.asList(order), random);
      // Past maxSequencesPerEpoch, each epoch sees a fresh random draw of that many.
      for (int from = 0; from < perEpoch; from += config.batchSize()) {
        int to = Math.min(perEpoch, from + config.batchSize());
        network.fit(batch(inputs, labels, Arrays.copyOfRange(order, from, to)));
      }
    }
    ModelProvenance provenance =
        new ModelProvenance(
            name(),
            config.asMap(),
            data.start(),
            data.end(),
            data.rows().size(),
            LstmIncrementForecaster.INPUT_SCHEMA.hash(),
            config.seed(),
            ModelProvenance.currentCodeVersion(),
            clock.instant());
    return new LstmIncrementForecaster(network, l, h, provenance);
  }

  /** A copy of a sequence with a synthetic ramp or level shift, sized in its noise units. */
  private double[] drifted(double[] seq, double noise, Random random) {
    int l = config.sequenceLength();
    double[] out = seq.clone();
    if (random.nextDouble() < 0.75) {
      // A ramp present for at least a sixth of the history, going on through the horizon.
      int onset = random.nextInt(Math.max(1, l - l / 6));
      double slope = noise * Math.exp(Math.log(0.02) + random.nextDouble() * Math.log(50));
      if (random.nextDouble() < 0.2) {
        slope = -slope;
      }
      for (int i = onset; i < out.length; i++) {
        out[i] += slope * (i - onset);
      }
    } else {
      int at = 1 + random.nextInt(l - 1);
      double shift = noise * (2 + 8 * random.nextDouble()) * (random.nextBoolean() ? 1 : -1);
      for (int i = at; i < out.length; i++) {
        out[i] += shift;
      }
    }
    return out;
  }

  private void add(double[] seq, List<float[][]> inputs, List<float[]> labels) {
    int l = config.sequenceLength();
    IncrementScaling s = IncrementScaling.of(seq, 0, l);
    float[][] f = new float[IncrementScaling.FEATURES][l];
    s.features(seq, 0, l, f);
    float[] y = new float[config.horizon()];
    for (int k = 0; k < y.length; k++) {
      y[k] = (float) s.target(seq[l + k]);
    }
    inputs.add(f);
    labels.add(y);
  }

  private MultiLayerNetwork network() {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(config.seed())
            .dataType(DataType.FLOAT)
            .updater(new Adam(config.learningRate()))
            .weightInit(WeightInit.XAVIER)
            .list()
            .layer(
                new LastTimeStep(
                    new LSTM.Builder()
                        .nIn(IncrementScaling.FEATURES)
                        .nOut(config.hiddenSize())
                        .activation(Activation.TANH)
                        .build()))
            .layer(
                new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                    .activation(Activation.IDENTITY)
                    .nIn(config.hiddenSize())
                    .nOut(config.horizon())
                    .build())
            .build();
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init();
    return network;
  }

  private static DataSet batch(List<float[][]> inputs, List<float[]> labels, Integer[] rows) {
    int features = inputs.get(0).length;
    int l = inputs.get(0)[0].length;
    int h = labels.get(0).length;
    INDArray x = Nd4j.create(DataType.FLOAT, rows.length, features, l);
    INDArray y = Nd4j.create(DataType.FLOAT, rows.length, h);
    for (int r = 0; r < rows.length; r++) {
      float[][] in = inputs.get(rows[r]);
      for (int c = 0; c < features; c++) {
        for (int t = 0; t < l; t++) {
          x.putScalar(new long[] {r, c, t}, in[c][t]);
        }
      }
      float[] out = labels.get(rows[r]);
      for (int k = 0; k < h; k++) {
        y.putScalar(new long[] {r, k}, out[k]);
      }
    }
    return new DataSet(x, y);
  }
}

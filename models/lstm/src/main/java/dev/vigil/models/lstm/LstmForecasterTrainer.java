package dev.vigil.models.lstm;

import dev.vigil.models.ModelProvenance;
import dev.vigil.models.Trainer;
import dev.vigil.models.TrainingSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
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
 * Trains one {@link LstmForecaster} in batch on many series at once with Deeplearning4j on the CPU
 * (Hochreiter and Schmidhuber, "Long short-term memory", Neural Computation 9(8), 1997). Each
 * column of the {@link TrainingSet} is one series (e.g. one service's p95 latency, one point per
 * minute); each series is standardised, cut into sequences of {@code sequenceLength} steps every
 * {@code stride} steps, and the network learns to predict every next step. The residual band is
 * {@code bandWidth} times the {@code bandQuantile} quantile of the last-step training residuals.
 *
 * <p>Cost: O(epochs x sequences x sequenceLength x hiddenSize^2). A day of one-minute data for 50
 * series (50 x 1440 points, 6,900 sequences of 60) took 10.5 minutes with the defaults on two cores
 * shared with other work (an upper bound); see BENCHMARKS.md.
 */
public final class LstmForecasterTrainer implements Trainer<LstmForecaster> {
  private final LstmForecasterConfig config;
  private final Clock clock;

  public LstmForecasterTrainer(LstmForecasterConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "lstm_forecaster";
  }

  @Override
  public LstmForecaster train(TrainingSet data) {
    int columns = data.schema().dimensions();
    List<double[]> series = new ArrayList<>(columns);
    for (int c = 0; c < columns; c++) {
      double[] s = new double[data.rows().size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = data.rows().get(i).values()[c];
      }
      series.add(s);
    }
    int l = config.sequenceLength();
    List<double[]> inputs = new ArrayList<>();
    List<double[]> labels = new ArrayList<>();
    for (double[] raw : series) {
      if (raw.length <= l) {
        throw new IllegalArgumentException(
            "series of " + raw.length + " points is too short for sequenceLength " + l);
      }
      LstmForecaster.Standardiser s = LstmForecaster.Standardiser.of(raw);
      for (int start = 0; start + l < raw.length; start += config.stride()) {
        double[] in = new double[l];
        double[] out = new double[l];
        for (int i = 0; i < l; i++) {
          in[i] = s.apply(raw[start + i]);
          out[i] = s.apply(raw[start + i + 1]);
        }
        inputs.add(in);
        labels.add(out);
      }
    }
    MultiLayerNetwork network = network();
    Random random = new Random(config.seed());
    Integer[] order = new Integer[inputs.size()];
    for (int epoch = 0; epoch < config.epochs(); epoch++) {
      Arrays.setAll(order, i -> i);
      java.util.Collections.shuffle(Arrays.asList(order), random);
      for (int from = 0; from < order.length; from += config.batchSize()) {
        int to = Math.min(order.length, from + config.batchSize());
        network.fit(batch(inputs, labels, Arrays.copyOfRange(order, from, to)));
      }
    }
    double band = calibrate(network, inputs, labels);
    ModelProvenance provenance =
        new ModelProvenance(
            name(),
            config.asMap(),
            data.start(),
            data.end(),
            data.rows().size(),
            data.schema().hash(),
            config.seed(),
            ModelProvenance.currentCodeVersion(),
            clock.instant());
    return new LstmForecaster(network, l, band, provenance);
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
                new LSTM.Builder()
                    .nIn(1)
                    .nOut(config.hiddenSize())
                    .activation(Activation.TANH)
                    .build())
            .layer(
                new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                    .activation(Activation.IDENTITY)
                    .nIn(config.hiddenSize())
                    .nOut(1)
                    .build())
            .build();
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init();
    return network;
  }

  private static DataSet batch(List<double[]> inputs, List<double[]> labels, Integer[] rows) {
    int l = inputs.get(0).length;
    INDArray x = Nd4j.create(DataType.FLOAT, rows.length, 1, l);
    INDArray y = Nd4j.create(DataType.FLOAT, rows.length, 1, l);
    for (int r = 0; r < rows.length; r++) {
      double[] in = inputs.get(rows[r]);
      double[] out = labels.get(rows[r]);
      for (int t = 0; t < l; t++) {
        x.putScalar(new long[] {r, 0, t}, in[t]);
        y.putScalar(new long[] {r, 0, t}, out[t]);
      }
    }
    return new DataSet(x, y);
  }

  private double calibrate(
      MultiLayerNetwork network, List<double[]> inputs, List<double[]> labels) {
    int l = config.sequenceLength();
    double[] residuals = new double[inputs.size()];
    int batch = 256;
    for (int from = 0; from < inputs.size(); from += batch) {
      int to = Math.min(inputs.size(), from + batch);
      Integer[] rows = new Integer[to - from];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = from + i;
      }
      INDArray predicted = network.output(batch(inputs, labels, rows).getFeatures());
      for (int r = 0; r < rows.length; r++) {
        residuals[from + r] =
            Math.abs(predicted.getDouble(r, 0, l - 1) - labels.get(from + r)[l - 1]);
      }
    }
    Arrays.sort(residuals);
    int q =
        (int) Math.min(residuals.length - 1, Math.floor(config.bandQuantile() * residuals.length));
    return Math.max(config.bandWidth() * residuals[q], 1e-3);
  }
}

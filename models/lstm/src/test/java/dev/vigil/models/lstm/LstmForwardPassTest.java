package dev.vigil.models.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.TrainingSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The plain-Java forward pass gives Deeplearning4j's output ({@code MultiLayerNetwork.output}) to
 * float precision, on a trained network of the default shape (60 steps, 24 units, 30 outputs) and
 * on a small one, for random inputs of the scaled range; and the forecaster's forecast is the
 * network's output through its scaling.
 */
class LstmForwardPassTest {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  static LstmIncrementForecaster trained(LstmIncrementConfig config, int rows) {
    Random r = new Random(3);
    List<FeatureVector> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      data.add(
          new FeatureVector(
              START.plus(Duration.ofSeconds(10L * i)),
              new double[] {50 + 2 * r.nextGaussian(), 900 + 30 * r.nextGaussian() + i}));
    }
    return new LstmIncrementForecasterTrainer(config, Clock.fixed(START, ZoneOffset.UTC))
        .train(new TrainingSet(FeatureSchema.of("a", "b"), data));
  }

  static double[] dl4j(MultiLayerNetwork n, float[][] x) {
    INDArray in = Nd4j.create(DataType.FLOAT, 1, x.length, x[0].length);
    for (int c = 0; c < x.length; c++) {
      for (int t = 0; t < x[0].length; t++) {
        in.putScalar(new long[] {0, c, t}, x[c][t]);
      }
    }
    INDArray y = n.output(in, false);
    double[] out = new double[(int) y.size(1)];
    for (int k = 0; k < out.length; k++) {
      out[k] = y.getDouble(0, k);
    }
    return out;
  }

  static void agrees(LstmIncrementForecaster f, long seed) {
    LstmForwardPass pass = LstmForwardPass.of(f.network());
    Random r = new Random(seed);
    for (int trial = 0; trial < 20; trial++) {
      float[][] x = new float[IncrementScaling.FEATURES][f.sequenceLength()];
      for (float[] row : x) {
        for (int t = 0; t < row.length; t++) {
          row[t] = (float) (3 * r.nextGaussian());
        }
      }
      double[] expected = dl4j(f.network(), x);
      double[] actual = pass.output(x);
      assertThat(actual).hasSameSizeAs(expected);
      for (int k = 0; k < expected.length; k++) {
        assertThat(actual[k]).isCloseTo(expected[k], within(1e-4 + 1e-4 * Math.abs(expected[k])));
      }
    }
  }

  @Test
  void givesDl4jsOutputAtTheDefaultShape() {
    LstmIncrementForecaster f = trained(LstmIncrementConfig.builder().epochs(1).build(), 200);
    assertThat(LstmForwardPass.of(f.network()).outputs()).isEqualTo(30);
    agrees(f, 1);
  }

  @Test
  void givesDl4jsOutputAtASmallShape() {
    agrees(
        trained(
            LstmIncrementConfig.builder()
                .sequenceLength(12)
                .horizon(5)
                .hiddenSize(3)
                .epochs(2)
                .build(),
            100),
        2);
  }

  @Test
  void theForecastIsTheNetworksOutputThroughItsScaling() {
    LstmIncrementForecaster f =
        trained(
            LstmIncrementConfig.builder().sequenceLength(20).horizon(8).hiddenSize(6).build(), 150);
    double[] history = new double[25];
    for (int i = 0; i < history.length; i++) {
      history[i] = 40 + 0.5 * i + (i % 3);
    }
    int from = history.length - 20;
    IncrementScaling s = IncrementScaling.of(history, from, 20);
    float[][] x = new float[IncrementScaling.FEATURES][20];
    s.features(history, from, 20, x);
    double[] y = dl4j(f.network(), x);
    double[] forecast = f.forecast(history, 8);
    for (int k = 0; k < 8; k++) {
      assertThat(forecast[k]).isCloseTo(s.invert(y[k]), within(1e-3 * (1 + Math.abs(forecast[k]))));
    }
  }
}

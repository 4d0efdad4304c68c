package dev.vigil.models.lstm;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward pass of a trained increment forecaster's network (Deeplearning4j's {@code LSTM}
 * without peepholes, its last time step, a dense identity output layer), in plain Java over a copy
 * of the weights. Deeplearning4j runs an LSTM as a dozen native operations per time step, each with
 * its own array and shape allocations: for the forecaster's single series of 60 steps and 24 units
 * that is some 50 ms a forecast on a loaded two-core machine (BENCHMARKS.md), where the arithmetic
 * (60 x 26 x 96 multiply-adds, about 150,000) takes well under a millisecond. Training still uses
 * Deeplearning4j; only inference takes this path. Results agree with {@code
 * MultiLayerNetwork.output} to float precision ({@code LstmForwardPassTest}).
 *
 * <p>Per step t, with z = x_t W + h_{t-1} R + b split into four blocks of {@code hidden} columns in
 * Deeplearning4j's order (block input, forget gate, output gate, input gate): a = tanh(z0), f =
 * sigmoid(z1), o = sigmoid(z2), i = sigmoid(z3), c_t = f c_{t-1} + i a, h_t = o tanh(c_t). The
 * output is h_T D + d. Cost O(steps x (inputs + hidden) x 4 hidden + hidden x outputs). Immutable
 * and thread-safe.
 */
final class LstmForwardPass {
  private final int inputs;
  private final int hidden;
  private final int outputs;
  private final double[] w; // [inputs][4 hidden]
  private final double[] r; // [hidden][4 hidden]
  private final double[] b; // [4 hidden]
  private final double[] d; // [hidden][outputs]
  private final double[] db; // [outputs]

  private LstmForwardPass(
      int inputs,
      int hidden,
      int outputs,
      double[] w,
      double[] r,
      double[] b,
      double[] d,
      double[] db) {
    this.inputs = inputs;
    this.hidden = hidden;
    this.outputs = outputs;
    this.w = w;
    this.r = r;
    this.b = b;
    this.d = d;
    this.db = db;
  }

  /**
   * A copy of the weights of {@code network}: an LSTM layer (params {@code 0_W}, {@code 0_RW},
   * {@code 0_b}) and a dense output layer ({@code 1_W}, {@code 1_b}).
   *
   * @throws IllegalArgumentException if the network is not of that shape
   */
  static LstmForwardPass of(MultiLayerNetwork network) {
    INDArray w = param(network, "0_W");
    INDArray r = param(network, "0_RW");
    INDArray b = param(network, "0_b");
    INDArray d = param(network, "1_W");
    INDArray db = param(network, "1_b");
    int inputs = (int) w.size(0);
    int gates = (int) w.size(1);
    int hidden = gates / 4;
    int outputs = (int) d.size(1);
    if (gates != 4 * hidden
        || r.size(0) != hidden
        || r.size(1) != gates
        || b.length() != gates
        || d.size(0) != hidden
        || db.length() != outputs) {
      throw new IllegalArgumentException(
          "not an LSTM (no peepholes) and dense layer: W "
              + w.shapeInfoToString()
              + ", RW "
              + r.shapeInfoToString());
    }
    return new LstmForwardPass(
        inputs, hidden, outputs, matrix(w), matrix(r), vector(b), matrix(d), vector(db));
  }

  private static INDArray param(MultiLayerNetwork network, String key) {
    INDArray p = network.paramTable().get(key);
    if (p == null) {
      throw new IllegalArgumentException(
          "the network has no parameter " + key + "; it has " + network.paramTable().keySet());
    }
    return p;
  }

  private static double[] matrix(INDArray m) {
    int rows = (int) m.size(0);
    int cols = (int) m.size(1);
    double[] out = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[i * cols + j] = m.getDouble(i, j);
      }
    }
    return out;
  }

  private static double[] vector(INDArray v) {
    double[] out = new double[(int) v.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.getDouble(i);
    }
    return out;
  }

  int outputs() {
    return outputs;
  }

  /**
   * The network's output for one sequence.
   *
   * @param x {@code inputs} rows of {@code steps} values each (feature-major, as the network's
   *     {@code [1, inputs, steps]} input)
   */
  double[] output(float[][] x) {
    int steps = x[0].length;
    int gates = 4 * hidden;
    double[] h = new double[hidden];
    double[] c = new double[hidden];
    double[] z = new double[gates];
    for (int t = 0; t < steps; t++) {
      System.arraycopy(b, 0, z, 0, gates);
      for (int k = 0; k < inputs; k++) {
        double v = x[k][t];
        int row = k * gates;
        for (int g = 0; g < gates; g++) {
          z[g] += v * w[row + g];
        }
      }
      for (int k = 0; k < hidden; k++) {
        double v = h[k];
        int row = k * gates;
        for (int g = 0; g < gates; g++) {
          z[g] += v * r[row + g];
        }
      }
      for (int u = 0; u < hidden; u++) {
        double a = Math.tanh(z[u]);
        double f = sigmoid(z[hidden + u]);
        double o = sigmoid(z[2 * hidden + u]);
        double i = sigmoid(z[3 * hidden + u]);
        c[u] = f * c[u] + i * a;
        h[u] = o * Math.tanh(c[u]);
      }
    }
    double[] y = db.clone();
    for (int k = 0; k < hidden; k++) {
      double v = h[k];
      int row = k * outputs;
      for (int j = 0; j < outputs; j++) {
        y[j] += v * d[row + j];
      }
    }
    return y;
  }

  private static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }
}

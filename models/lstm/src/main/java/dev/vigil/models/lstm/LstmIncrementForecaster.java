package dev.vigil.models.lstm;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.IncompatibleModelException;
import dev.vigil.models.ModelProvenance;
import dev.vigil.models.forecast.Forecaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A trained LSTM forecaster of increments: it reads the last {@code sequenceLength} values of a
 * series as increments and levels in units of the history's noise ({@link IncrementScaling}) and
 * forecasts the change from the last value at each of the next {@code horizon} steps in one pass
 * (direct multi-step forecasting, no feedback of its own forecasts). Because nothing is
 * standardised by the history's mean, a history that climbs steadily is forecast to keep climbing,
 * which is what a predictive alert on a slow leak needs; a flat noisy history is forecast flat.
 *
 * <p>Thread-safe. One forecast costs one forward pass: O(sequenceLength x hiddenSize^2 + hiddenSize
 * x horizon), run in plain Java over a copy of the network's weights ({@link LstmForwardPass}):
 * Deeplearning4j's own forward pass of one short sequence costs about 500 times the arithmetic in
 * per-step native calls (BENCHMARKS.md, "Retraining (issue #15)").
 */
public final class LstmIncrementForecaster implements Forecaster {
  /**
   * What the network reads and outputs, whose hash is the forecaster's feature schema in its
   * provenance: a network trained on another scaling is refused when loaded.
   */
  public static final FeatureSchema INPUT_SCHEMA =
      new FeatureSchema(
          List.of("increment", "relative_level"),
          "IncrementScaling v1: first differences / 3 and levels relative to the last value / 10,"
              + " in units of the history's noise (sqrt(pi/2) x mean absolute deviation of the"
              + " increments), clipped at 10 and 100; outputs: change from the last value / 10");

  private final MultiLayerNetwork network;
  private final int sequenceLength;
  private final int horizon;
  private final ModelProvenance provenance;
  private final LstmForwardPass pass;

  LstmIncrementForecaster(
      MultiLayerNetwork network, int sequenceLength, int horizon, ModelProvenance provenance) {
    this.network = network;
    this.sequenceLength = sequenceLength;
    this.horizon = horizon;
    this.provenance = provenance;
    this.pass = LstmForwardPass.of(network);
  }

  @Override
  public int sequenceLength() {
    return sequenceLength;
  }

  /** Steps ahead the network forecasts; longer horizons are refused. */
  @Override
  public int maxHorizon() {
    return horizon;
  }

  public ModelProvenance provenance() {
    return provenance;
  }

  @Override
  public String toString() {
    return "LSTM increment forecaster ("
        + sequenceLength
        + " windows of history, "
        + horizon
        + " ahead; trained "
        + provenance.trainedAt()
        + " on "
        + provenance.rows()
        + " rows from "
        + provenance.dataStart()
        + " to "
        + provenance.dataEnd()
        + ")";
  }

  MultiLayerNetwork network() {
    return network;
  }

  /** The network as Deeplearning4j's {@code ModelSerializer} zip (no updater state). */
  public byte[] networkBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      synchronized (network) {
        ModelSerializer.writeModel(network, out, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise the forecaster's network", e);
    }
    return out.toByteArray();
  }

  /**
   * A forecaster from its network bytes ({@link #networkBytes()}) and provenance (its sequence
   * length and horizon are read from the trainer configuration there).
   *
   * @param source where it came from, for messages
   * @throws IncompatibleModelException if it was trained on another input schema, or its network
   *     does not decode or does not fit its configuration
   */
  public static LstmIncrementForecaster fromBytes(
      byte[] network, ModelProvenance provenance, String source) {
    INPUT_SCHEMA.requireSame(provenance.featureSchemaHash(), source);
    int sequenceLength;
    int horizon;
    try {
      sequenceLength = Integer.parseInt(provenance.trainerConfig().get("sequenceLength"));
      horizon = Integer.parseInt(provenance.trainerConfig().get("horizon"));
    } catch (NumberFormatException e) {
      throw new IncompatibleModelException(
          source + " has no sequenceLength and horizon in its trainer configuration");
    }
    MultiLayerNetwork n;
    try {
      n = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(network), false);
    } catch (IOException | RuntimeException e) {
      throw new IncompatibleModelException(
          source + " has a network that cannot be read: " + e.getMessage());
    }
    long in = n.layerInputSize(0);
    long out = n.layerSize(n.getnLayers() - 1);
    if (in != IncrementScaling.FEATURES || out != horizon) {
      throw new IncompatibleModelException(
          source
              + " has a network of "
              + in
              + " inputs and "
              + out
              + " outputs; its configuration says "
              + IncrementScaling.FEATURES
              + " and "
              + horizon);
    }
    try {
      return new LstmIncrementForecaster(n, sequenceLength, horizon, provenance);
    } catch (IllegalArgumentException e) {
      throw new IncompatibleModelException(
          source + " has a network of another shape: " + e.getMessage());
    }
  }

  /**
   * Forecasts the next {@code steps} values after {@code history}.
   *
   * @param history at least {@code sequenceLength} finite values, oldest first; the last {@code
   *     sequenceLength} are read
   * @param steps from 1 to {@link #maxHorizon()}
   */
  @Override
  public double[] forecast(double[] history, int steps) {
    if (history.length < sequenceLength) {
      throw new IllegalArgumentException(
          "history has " + history.length + " values, the forecaster needs " + sequenceLength);
    }
    if (steps < 1 || steps > horizon) {
      throw new IllegalArgumentException(
          "steps must be from 1 to " + horizon + " (the horizon it was trained for), got " + steps);
    }
    int from = history.length - sequenceLength;
    for (int i = from; i < history.length; i++) {
      if (!Double.isFinite(history[i])) {
        throw new IllegalArgumentException("history has a non-finite value at " + i);
      }
    }
    IncrementScaling s = IncrementScaling.of(history, from, sequenceLength);
    float[][] f = new float[IncrementScaling.FEATURES][sequenceLength];
    s.features(history, from, sequenceLength, f);
    double[] y = pass.output(f);
    double[] out = new double[steps];
    for (int k = 0; k < steps; k++) {
      out[k] = s.invert(y[k]);
    }
    return out;
  }
}

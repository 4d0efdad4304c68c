package dev.vigil.models.lstm;

import dev.vigil.models.ModelProvenance;
import dev.vigil.models.forecast.Forecaster;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained LSTM one-step forecaster over standardised series. A series is standardised by the mean
 * and standard deviation of the history given to each call, the network reads the last {@code
 * sequenceLength} values and predicts the next; longer horizons are forecast autoregressively. A
 * value is anomalous when its residual leaves the band calibrated on the training residuals.
 *
 * <p>Not thread-safe (the network keeps recurrent state while forecasting); use one per thread.
 * Forecasting h steps costs O((sequenceLength + h) x hiddenSize^2).
 */
public final class LstmForecaster implements Forecaster {
  private final MultiLayerNetwork network;
  private final int sequenceLength;
  private final double band;
  private final ModelProvenance provenance;

  LstmForecaster(
      MultiLayerNetwork network, int sequenceLength, double band, ModelProvenance provenance) {
    this.network = network;
    this.sequenceLength = sequenceLength;
    this.band = band;
    this.provenance = provenance;
  }

  /** Steps of history the network reads. */
  @Override
  public int sequenceLength() {
    return sequenceLength;
  }

  /** Half-width of the residual band, in standard deviations of the series. */
  public double band() {
    return band;
  }

  public ModelProvenance provenance() {
    return provenance;
  }

  MultiLayerNetwork network() {
    return network;
  }

  /**
   * Forecasts the next {@code horizon} values after {@code history}.
   *
   * @param history at least {@code sequenceLength} values, oldest first
   */
  @Override
  public double[] forecast(double[] history, int horizon) {
    if (history.length < sequenceLength) {
      throw new IllegalArgumentException(
          "history has " + history.length + " values, the forecaster needs " + sequenceLength);
    }
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be at least 1");
    }
    Standardiser s = Standardiser.of(history);
    double[] window = new double[sequenceLength];
    for (int i = 0; i < sequenceLength; i++) {
      window[i] = s.apply(history[history.length - sequenceLength + i]);
    }
    double[] out = new double[horizon];
    synchronized (network) {
      network.rnnClearPreviousState();
      INDArray in = Nd4j.create(window, new long[] {1, 1, sequenceLength}, 'c');
      INDArray y = network.rnnTimeStep(in);
      double next = y.getDouble(0, 0, sequenceLength - 1);
      out[0] = s.invert(next);
      for (int k = 1; k < horizon; k++) {
        INDArray step = Nd4j.create(new double[] {next}, new long[] {1, 1, 1}, 'c');
        next = network.rnnTimeStep(step).getDouble(0, 0, 0);
        out[k] = s.invert(next);
      }
      network.rnnClearPreviousState();
    }
    return out;
  }

  /**
   * The residual of {@code actual} against the one-step forecast after {@code history}, in units of
   * the band: values above 1 are outside the calibrated band.
   */
  public double bandScore(double[] history, double actual) {
    Standardiser s = Standardiser.of(history);
    double predicted = forecast(history, 1)[0];
    return Math.abs(s.apply(actual) - s.apply(predicted)) / band;
  }

  /** Mean and standard deviation of a history, with the deviation floored. */
  record Standardiser(double mean, double sd) {
    static Standardiser of(double[] v) {
      double m = 0;
      for (double x : v) {
        m += x;
      }
      m /= v.length;
      double ss = 0;
      for (double x : v) {
        ss += (x - m) * (x - m);
      }
      double sd = Math.sqrt(ss / v.length);
      return new Standardiser(m, Math.max(sd, 1e-6 * Math.max(1, Math.abs(m))));
    }

    double apply(double x) {
      return (x - mean) / sd;
    }

    double invert(double z) {
      return z * sd + mean;
    }
  }
}

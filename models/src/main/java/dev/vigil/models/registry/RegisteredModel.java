package dev.vigil.models.registry;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.ModelProvenance;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One promoted model version of one service, as the registry keeps it: what scores the service,
 * where it came from, how it did in evaluation and how its raw scores are calibrated.
 *
 * @param service the service it scores, or {@link #ALL_SERVICES} for a model shared by every
 *     service (the forecaster)
 * @param kind the model kind, {@link #ISOLATION_FOREST}, {@link #ONE_CLASS_SVM} or {@link
 *     #LSTM_FORECASTER}
 * @param version 1 for the first model of the service, one more for each promotion
 * @param promotedAt when it was promoted (the retraining job's clock)
 * @param provenance trainer, parameters, data range, feature schema hash, seed, Vigil version
 * @param tribuoProvenance Tribuo's own provenance of the model, as Tribuo prints it
 * @param evaluation figures of its evaluation, by name (e.g. {@code f1}, {@code recall})
 * @param calibration mean and standard deviation of its raw score on normal held-out windows (the
 *     identity, 0 and 1, for a forecaster, which raises no score)
 * @param reason why it was promoted
 * @param payload the model's state: {@code IsolationForestState} JSON, a Tribuo model protobuf or a
 *     Deeplearning4j network (its {@code ModelSerializer} zip)
 */
public record RegisteredModel(
    String service,
    String kind,
    int version,
    Instant promotedAt,
    ModelProvenance provenance,
    String tribuoProvenance,
    Map<String, Double> evaluation,
    Calibration calibration,
    String reason,
    byte[] payload) {

  public static final String ISOLATION_FOREST = "isolation_forest";
  public static final String ONE_CLASS_SVM = "one_class_svm";

  /**
   * The increment LSTM forecaster of the predictive alerts ({@code models/lstm}): one model for
   * every service, registered under {@link #ALL_SERVICES}.
   */
  public static final String LSTM_FORECASTER = "lstm_increment_forecaster";

  /**
   * The registry key of a model shared by every service. An OpenTelemetry {@code service.name} of
   * {@code *} would collide with it; the forecaster's kind tells the two apart.
   */
  public static final String ALL_SERVICES = "*";

  /**
   * A raw score's place among normal scores: {@code (raw - mean) / sd} puts every model on the
   * z-scale of the streaming ensemble ({@code ScoreCalibrator}).
   */
  public record Calibration(double mean, double sd) {
    public Calibration {
      if (!(sd > 0) || Double.isNaN(mean)) {
        throw new IllegalArgumentException("calibration needs a finite mean and sd > 0");
      }
    }

    public double apply(double raw) {
      return (raw - mean) / sd;
    }
  }

  public RegisteredModel {
    if (service == null || service.isBlank()) {
      throw new IllegalArgumentException("service must not be blank");
    }
    if (!kind.equals(ISOLATION_FOREST)
        && !kind.equals(ONE_CLASS_SVM)
        && !kind.equals(LSTM_FORECASTER)) {
      throw new IllegalArgumentException(
          "kind must be "
              + ISOLATION_FOREST
              + ", "
              + ONE_CLASS_SVM
              + " or "
              + LSTM_FORECASTER
              + ", got "
              + kind);
    }
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1");
    }
    evaluation = Collections.unmodifiableMap(new TreeMap<>(evaluation));
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** Whether it is a forecaster (scored by none of the window detectors). */
  public boolean isForecaster() {
    return kind.equals(LSTM_FORECASTER);
  }

  /** The same model as another version number (the registry numbers promotions). */
  public RegisteredModel withVersion(int newVersion) {
    return new RegisteredModel(
        service,
        kind,
        newVersion,
        promotedAt,
        provenance,
        tribuoProvenance,
        evaluation,
        calibration,
        reason,
        payload);
  }

  /**
   * Checks that the model may score data of {@code expected}.
   *
   * @throws dev.vigil.models.IncompatibleModelException naming both schemas otherwise
   */
  public void requireSchema(FeatureSchema expected) {
    expected.requireSame(provenance.featureSchemaHash(), describe());
  }

  /** e.g. {@code isolation_forest v3 of checkout}. */
  public String describe() {
    return kind + " v" + version + " of " + service;
  }
}

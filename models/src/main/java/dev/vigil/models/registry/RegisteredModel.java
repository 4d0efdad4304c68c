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
 * @param service the service it scores
 * @param kind the model kind, {@link #ISOLATION_FOREST} or {@link #ONE_CLASS_SVM}
 * @param version 1 for the first model of the service, one more for each promotion
 * @param promotedAt when it was promoted (the retraining job's clock)
 * @param provenance trainer, parameters, data range, feature schema hash, seed, Vigil version
 * @param tribuoProvenance Tribuo's own provenance of the model, as Tribuo prints it
 * @param evaluation figures of its evaluation, by name (e.g. {@code f1}, {@code recall})
 * @param calibration mean and standard deviation of its raw score on normal held-out windows
 * @param reason why it was promoted
 * @param payload the model's state: {@code IsolationForestState} JSON or a Tribuo model protobuf
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
    if (!kind.equals(ISOLATION_FOREST) && !kind.equals(ONE_CLASS_SVM)) {
      throw new IllegalArgumentException(
          "kind must be " + ISOLATION_FOREST + " or " + ONE_CLASS_SVM + ", got " + kind);
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

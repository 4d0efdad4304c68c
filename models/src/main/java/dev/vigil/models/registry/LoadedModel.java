package dev.vigil.models.registry;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.IncompatibleModelException;
import dev.vigil.models.iforest.IsolationForest;
import dev.vigil.models.iforest.IsolationForestState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;

/**
 * A registered model decoded for scoring: an isolation forest from its state, a one-class SVM from
 * Tribuo's protobuf. Raw scores grow with abnormality (the forest's score; minus the SVM's decision
 * value). Immutable; the forest is thread-safe and Tribuo's LibSVM model predicts without shared
 * state.
 */
final class LoadedModel {
  private final RegisteredModel record;
  private final IsolationForest forest;
  private final Model<Event> tribuo;
  private final String[] names;

  private LoadedModel(
      RegisteredModel record, IsolationForest forest, Model<Event> tribuo, List<String> names) {
    this.record = record;
    this.forest = forest;
    this.tribuo = tribuo;
    this.names = names.toArray(String[]::new);
  }

  /**
   * Decodes the record's payload after checking its feature schema.
   *
   * @throws IncompatibleModelException if the schema differs or the payload cannot be decoded
   */
  static LoadedModel load(RegisteredModel record, FeatureSchema expected) {
    record.requireSchema(expected);
    String source = record.describe();
    if (record.kind().equals(RegisteredModel.ISOLATION_FOREST)) {
      return new LoadedModel(
          record,
          IsolationForestState.fromBytes(record.payload(), source, expected),
          null,
          expected.features());
    }
    try {
      Model<?> m = Model.deserializeFromStream(new ByteArrayInputStream(record.payload()));
      if (!m.validate(Event.class)) {
        throw new IncompatibleModelException(source + " is not an anomaly detection model");
      }
      @SuppressWarnings("unchecked")
      Model<Event> events = (Model<Event>) m;
      return new LoadedModel(record, null, events, expected.features());
    } catch (IOException | RuntimeException e) {
      if (e instanceof IncompatibleModelException i) {
        throw i;
      }
      throw new IncompatibleModelException(
          source + " has a Tribuo payload that cannot be read: " + e.getMessage());
    }
  }

  RegisteredModel record() {
    return record;
  }

  /** The raw score of a vector in the schema's order; higher is more abnormal. */
  double rawScore(double[] x) {
    if (forest != null) {
      return forest.score(x);
    }
    return -predict(x).getOutput().getScore();
  }

  /** Whether the model itself (its own threshold) calls the vector anomalous. */
  boolean alarm(double[] x, double raw) {
    if (forest != null) {
      return raw >= forest.threshold();
    }
    return raw > 0;
  }

  private Prediction<Event> predict(double[] x) {
    return tribuo.predict(new ArrayExample<>(new Event(Event.EventType.UNKNOWN), names, x));
  }
}

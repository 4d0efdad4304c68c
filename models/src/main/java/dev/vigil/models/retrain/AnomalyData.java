package dev.vigil.models.retrain;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** Service window vectors as Tribuo datasets of the anomaly task. */
final class AnomalyData {
  private static final AnomalyFactory FACTORY = new AnomalyFactory();

  private AnomalyData() {}

  /**
   * A dataset of the vectors, each labelled {@code type}, followed by {@code anomalous} labelled
   * {@code ANOMALOUS}; its provenance names {@code description} and the first row's time.
   */
  static MutableDataset<Event> dataset(
      FeatureSchema schema,
      List<FeatureVector> expected,
      List<FeatureVector> anomalous,
      String description) {
    FeatureVector first = !expected.isEmpty() ? expected.get(0) : anomalous.get(0);
    MutableDataset<Event> d =
        new MutableDataset<>(
            new SimpleDataSourceProvenance(
                description, OffsetDateTime.ofInstant(first.time(), ZoneOffset.UTC), FACTORY),
            FACTORY);
    String[] names = schema.features().toArray(String[]::new);
    for (FeatureVector v : expected) {
      d.add(new ArrayExample<>(new Event(Event.EventType.EXPECTED), names, v.values()));
    }
    for (FeatureVector v : anomalous) {
      d.add(new ArrayExample<>(new Event(Event.EventType.ANOMALOUS), names, v.values()));
    }
    return d;
  }
}

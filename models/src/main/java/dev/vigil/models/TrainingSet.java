package dev.vigil.models;

import java.time.Instant;
import java.util.List;

/**
 * Rows for a batch {@link Trainer}: feature vectors of one schema, in event-time order.
 *
 * @param schema the features of every row
 * @param rows the rows; each has {@code schema.dimensions()} values
 */
public record TrainingSet(FeatureSchema schema, List<FeatureVector> rows) {

  /** Copies the rows and checks that they fit the schema. */
  public TrainingSet {
    rows = List.copyOf(rows);
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("rows must not be empty");
    }
    for (FeatureVector row : rows) {
      if (row.dimensions() != schema.dimensions()) {
        throw new IllegalArgumentException(
            "row at "
                + row.time()
                + " has "
                + row.dimensions()
                + " values, schema has "
                + schema.dimensions()
                + " "
                + schema.features());
      }
    }
  }

  public Instant start() {
    return rows.get(0).time();
  }

  public Instant end() {
    return rows.get(rows.size() - 1).time();
  }
}

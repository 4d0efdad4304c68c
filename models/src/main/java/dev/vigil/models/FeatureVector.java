package dev.vigil.models;

import java.time.Instant;
import java.util.Arrays;

/**
 * One point for a detector: values in the order of a schema's feature names.
 *
 * @param time the event time of the point (window start)
 * @param values the feature values; copied on construction and on access
 */
public record FeatureVector(Instant time, double[] values) {
  public FeatureVector {
    values = values.clone();
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  public int dimensions() {
    return values.length;
  }

  double get(int i) {
    return values[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureVector v && time.equals(v.time) && Arrays.equals(values, v.values);
  }

  @Override
  public int hashCode() {
    return 31 * time.hashCode() + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "FeatureVector[" + time + ", " + Arrays.toString(values) + "]";
  }
}

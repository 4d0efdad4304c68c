package dev.vigil.models;

import java.util.Arrays;

/**
 * A detector's verdict on one point.
 *
 * @param score the detector's raw score (scale specific to the detector)
 * @param grade 0 for a normal point, otherwise the anomaly grade in (0, 1]
 * @param attribution each feature's share of the score (sums to 1 when the point is anomalous), or
 *     an empty array when the detector cannot attribute
 * @param ready false while the detector is still warming up; the grade is then 0
 */
public record DetectorResult(double score, double grade, double[] attribution, boolean ready) {
  public static final DetectorResult WARMING_UP = new DetectorResult(0, 0, new double[0], false);

  public DetectorResult {
    attribution = attribution.clone();
  }

  @Override
  public double[] attribution() {
    return attribution.clone();
  }

  public boolean isAnomaly() {
    return grade > 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DetectorResult r
        && score == r.score
        && grade == r.grade
        && ready == r.ready
        && Arrays.equals(attribution, r.attribution);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(score) * 31 + Arrays.hashCode(attribution);
  }
}

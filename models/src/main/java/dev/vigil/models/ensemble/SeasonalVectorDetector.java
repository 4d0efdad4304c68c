package dev.vigil.models.ensemble;

import dev.vigil.models.Detector;
import dev.vigil.models.DetectorResult;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.seasonal.SeasonalBaseline;

/**
 * A {@link SeasonalBaseline} per feature as a streaming {@link Detector}: the score is the largest
 * absolute robust z-score of the point's features against their seasonal bands, and the attribution
 * each feature's share of the summed absolute z-scores. Not ready until every feature has a band.
 */
public final class SeasonalVectorDetector implements Detector {
  private final SeasonalBaseline[] baselines;

  public SeasonalVectorDetector(int dimensions) {
    baselines = new SeasonalBaseline[dimensions];
    for (int i = 0; i < dimensions; i++) {
      baselines[i] = SeasonalBaseline.defaults();
    }
  }

  @Override
  public DetectorResult scoreAndLearn(FeatureVector point) {
    double[] v = point.values();
    if (v.length != baselines.length) {
      throw new IllegalArgumentException(
          "point has " + v.length + " features, the detector expects " + baselines.length);
    }
    long t = point.time().toEpochMilli();
    double[] z = new double[v.length];
    boolean ready = true;
    double max = 0;
    double sum = 0;
    for (int i = 0; i < v.length; i++) {
      SeasonalBaseline.Band band = baselines[i].expected(t);
      ready &= band.source() != SeasonalBaseline.Source.NONE;
      z[i] = Math.abs(band.zScore(v[i]));
      max = Math.max(max, z[i]);
      sum += z[i];
      baselines[i].learn(t, v[i]);
    }
    if (!ready) {
      return DetectorResult.WARMING_UP;
    }
    if (sum > 0) {
      for (int i = 0; i < z.length; i++) {
        z[i] /= sum;
      }
    }
    return new DetectorResult(max, 0, z, true);
  }

  @Override
  public String name() {
    return "seasonal_baseline";
  }
}

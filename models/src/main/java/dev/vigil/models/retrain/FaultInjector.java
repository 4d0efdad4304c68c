package dev.vigil.models.retrain;

import dev.vigil.models.FeatureVector;
import dev.vigil.models.ServiceFeatureSchema;
import dev.vigil.models.ServiceFeatureSchema.Feature;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes faulty copies of held-out service windows, so that recall is measured and not only false
 * alarms: every even window becomes a latency fault (its latency features multiplied by {@code
 * latencyFactor}), every odd one an error fault (its error rate raised by {@code
 * errorRateIncrease}, capped at 1). The change is applied to the raw value and the vector
 * transformed again, as the stream would have seen it ({@link ServiceFeatureSchema}).
 *
 * <p>A copy at the feature level, not a replay of altered spans: a fault in a dependency shows in
 * the caller's latency the same way in both, but the caller's self latency would not move with a
 * span-level fault in a callee; these faults are the service's own.
 */
final class FaultInjector {
  private final double latencyFactor;
  private final double errorRateIncrease;

  FaultInjector(double latencyFactor, double errorRateIncrease) {
    this.latencyFactor = latencyFactor;
    this.errorRateIncrease = errorRateIncrease;
  }

  List<FeatureVector> inject(List<FeatureVector> windows) {
    List<Feature> features = ServiceFeatureSchema.DETECTOR_FEATURES;
    List<FeatureVector> out = new ArrayList<>(windows.size());
    for (int w = 0; w < windows.size(); w++) {
      double[] v = windows.get(w).values();
      boolean latency = w % 2 == 0;
      for (int i = 0; i < v.length; i++) {
        Feature f = features.get(i);
        if (latency && f.isLatency()) {
          v[i] = Math.log1p(Math.expm1(v[i]) * latencyFactor);
        } else if (!latency && f == Feature.ERROR_RATE) {
          v[i] = Math.min(1, v[i] + errorRateIncrease);
        }
      }
      out.add(new FeatureVector(windows.get(w).time(), v));
    }
    return out;
  }
}

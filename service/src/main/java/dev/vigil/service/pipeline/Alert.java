package dev.vigil.service.pipeline;

import dev.vigil.models.FeatureDeviation;
import java.time.Instant;
import java.util.List;

/**
 * A per-service alert: {@code firing} when a service becomes anomalous, {@code resolved} when it
 * has been normal for a few windows.
 */
public record Alert(
    String service,
    String status,
    Instant at,
    double grade,
    List<String> detectors,
    List<FeatureDeviation> drivers) {
  public static final String FIRING = "firing";
  public static final String RESOLVED = "resolved";

  public Alert {
    detectors = List.copyOf(detectors);
    drivers = List.copyOf(drivers);
  }
}

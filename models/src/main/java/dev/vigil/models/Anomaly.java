package dev.vigil.models;

import java.time.Instant;
import java.util.List;

/**
 * A service behaving abnormally in one window.
 *
 * @param windowStart start of the window (event time)
 * @param grade the strength in (0, 1]
 * @param detectors the detectors that raised it, e.g. {@code random_cut_forest}
 * @param drivers the features that changed, most deviant first
 * @param exemplarTraceIds traces of the window that show the problem (slowest or failed)
 */
public record Anomaly(
    String service,
    Instant windowStart,
    double grade,
    List<String> detectors,
    List<FeatureDeviation> drivers,
    List<String> exemplarTraceIds) {

  public Anomaly {
    detectors = List.copyOf(detectors);
    drivers = List.copyOf(drivers);
    exemplarTraceIds = List.copyOf(exemplarTraceIds);
  }
}

package dev.vigil.rca;

import dev.vigil.models.Anomaly;
import java.time.Instant;
import java.util.List;

/**
 * A group of anomalies in consecutive windows, with its ranked root causes.
 *
 * @param id stable within a run: {@code inc-<n>}
 * @param status {@code open} when detected, {@code resolved} once quiet again
 * @param startedAt start of the first anomalous window
 * @param detectedAt end of the window in which the incident was opened
 * @param resolvedAt end of the last quiet window, or null while open
 * @param affectedServices every service found anomalous during the incident
 * @param anomalies the anomalies the ranking used
 */
public record Incident(
    String id,
    String status,
    Instant startedAt,
    Instant detectedAt,
    Instant resolvedAt,
    List<String> affectedServices,
    List<RootCause> rootCauses,
    List<Anomaly> anomalies) {

  public static final String OPEN = "open";
  public static final String RESOLVED = "resolved";

  public Incident {
    affectedServices = List.copyOf(affectedServices);
    rootCauses = List.copyOf(rootCauses);
    anomalies = List.copyOf(anomalies);
  }

  Incident resolve(Instant at, List<String> affected) {
    return new Incident(id, RESOLVED, startedAt, detectedAt, at, affected, rootCauses, anomalies);
  }
}

package dev.vigil.rca;

import dev.vigil.models.Anomaly;
import java.time.Instant;
import java.util.List;

/**
 * A group of related anomalies, with its ranked root causes. Several may be open at once, one per
 * independent fault; each report of an incident (opened, grown, resolved, merged) carries the same
 * id.
 *
 * @param id unique across restarts and instances, time-ordered: {@code inc-<ULID>} (see {@link
 *     TimeOrderedIds})
 * @param status {@code open} when detected and while it grows, {@code resolved} once quiet again,
 *     {@code merged} when a later anomaly showed it to be part of another incident
 * @param startedAt start of the first anomalous window
 * @param detectedAt end of the window in which the incident was opened
 * @param resolvedAt end of the last quiet window (or of the window it merged in), or null while
 *     open
 * @param affectedServices every service found anomalous during the incident
 * @param rootCauses the latest ranking, most likely first; each cause's path is how the fault
 *     propagated
 * @param anomalies the anomalies the ranking used
 * @param mergedInto the incident this one became part of, when {@code merged}; otherwise null
 */
public record Incident(
    String id,
    String status,
    Instant startedAt,
    Instant detectedAt,
    Instant resolvedAt,
    List<String> affectedServices,
    List<RootCause> rootCauses,
    List<Anomaly> anomalies,
    String mergedInto) {

  public static final String OPEN = "open";
  public static final String RESOLVED = "resolved";
  public static final String MERGED = "merged";

  public Incident {
    affectedServices = List.copyOf(affectedServices);
    rootCauses = List.copyOf(rootCauses);
    anomalies = List.copyOf(anomalies);
  }

  /** An incident that has not merged into another. */
  public Incident(
      String id,
      String status,
      Instant startedAt,
      Instant detectedAt,
      Instant resolvedAt,
      List<String> affectedServices,
      List<RootCause> rootCauses,
      List<Anomaly> anomalies) {
    this(
        id,
        status,
        startedAt,
        detectedAt,
        resolvedAt,
        affectedServices,
        rootCauses,
        anomalies,
        null);
  }

  /** The top-ranked root cause's service, or null when there is none. */
  public String topCause() {
    return rootCauses.isEmpty() ? null : rootCauses.get(0).service();
  }

  Incident resolve(Instant at, List<String> affected) {
    return new Incident(id, RESOLVED, startedAt, detectedAt, at, affected, rootCauses, anomalies);
  }

  Incident mergeInto(Instant at, String survivor) {
    return new Incident(
        id, MERGED, startedAt, detectedAt, at, affectedServices, rootCauses, anomalies, survivor);
  }
}

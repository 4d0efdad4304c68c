package dev.vigil.models;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the monitor made of one window: the anomalies it found, and the services whose window was
 * unsettled, neither anomalous nor normal. A window is unsettled when a harmful feature deviates
 * from the baseline but the evidence is too thin to flag it (two errors out of fifteen requests, a
 * tail quantile made by two requests): an ongoing fault in a quiet service looks like that in its
 * low-traffic windows, so such a window must not count as a quiet one that resolves the fault's
 * alert or incident.
 *
 * @param anomalies the anomalies, sorted by service
 * @param unsettled services whose window deviated without being flagged, sorted
 */
public record WindowAssessment(List<Anomaly> anomalies, Set<String> unsettled) {
  public WindowAssessment {
    anomalies = List.copyOf(anomalies);
    unsettled = Collections.unmodifiableSet(new TreeSet<>(unsettled));
  }
}

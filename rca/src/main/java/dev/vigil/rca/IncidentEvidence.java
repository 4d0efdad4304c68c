package dev.vigil.rca;

import dev.vigil.features.WindowFeatures;
import dev.vigil.models.Anomaly;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a ranker sees of an incident: the windows it spans, their anomalies, the call graph and
 * access to baselines.
 */
public record IncidentEvidence(
    List<WindowFeatures> windows,
    List<Anomaly> anomalies,
    CallGraph graph,
    DeviationSource deviations) {

  public IncidentEvidence {
    windows = List.copyOf(windows);
    anomalies = List.copyOf(anomalies);
  }

  public Set<String> anomalousServices() {
    Set<String> s = new TreeSet<>();
    anomalies.forEach(a -> s.add(a.service()));
    return s;
  }
}

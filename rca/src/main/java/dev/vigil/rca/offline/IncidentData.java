package dev.vigil.rca.offline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a ranker sees of an incident: the recording split at the incident time, the change of every
 * series, and the causal graph.
 *
 * @param changes one per series, strongest first
 */
public record IncidentData(
    TelemetryIndex index,
    Instant incidentTime,
    long normalFromMillis,
    long abnormalToMillis,
    AnalysisConfig config,
    List<SeriesChange> changes,
    CausalGraph graph) {

  public IncidentData {
    changes = List.copyOf(changes);
  }

  /** Splits a recording at the incident time and scores every series. O(points log points). */
  public static IncidentData of(TelemetryIndex index, Instant incidentTime, AnalysisConfig config) {
    long incident = incidentTime.toEpochMilli();
    long from = incident - config.normalWindow().toMillis();
    long to = incident + config.abnormalWindow().toMillis();
    List<SeriesChange> changes = new ArrayList<>();
    for (Series s : index.series()) {
      changes.add(RobustStats.change(s, from, incident, to, config));
    }
    changes = new ArrayList<>(CallGapAgreement.apply(changes));
    // Ties (a service's p95 and p99 often move together) are broken by the series, not by the
    // index's hash order, which follows identity hash codes and so changes from build to build.
    changes.sort(
        Comparator.comparingDouble(SeriesChange::score)
            .reversed()
            .thenComparing(c -> c.key().service())
            .thenComparing(c -> c.key().kind())
            .thenComparing(c -> c.key().component()));
    return new IncidentData(
        index,
        incidentTime,
        from,
        to,
        config,
        changes,
        CausalGraph.of(index, candidates(index), changes));
  }

  /**
   * An incident whose series changes were scored elsewhere, such as by the live anomaly monitor
   * against its running baselines: the same rankers and evidence run on it as on a recording.
   *
   * @param changes one per series; sorted here, strongest first
   */
  public static IncidentData ofChanges(
      TelemetryIndex index,
      Instant incidentTime,
      long normalFromMillis,
      long abnormalToMillis,
      AnalysisConfig config,
      List<SeriesChange> changes) {
    List<SeriesChange> sorted = new ArrayList<>(CallGapAgreement.apply(changes));
    sorted.sort(
        Comparator.comparingDouble(SeriesChange::score)
            .reversed()
            .thenComparing(c -> c.key().service())
            .thenComparing(c -> c.key().kind())
            .thenComparing(c -> c.key().component()));
    return new IncidentData(
        index,
        incidentTime,
        normalFromMillis,
        abnormalToMillis,
        config,
        sorted,
        CausalGraph.of(index, candidates(index), sorted));
  }

  public long incidentMillis() {
    return incidentTime.toEpochMilli();
  }

  /**
   * The services that can be ranked. When the recording has traces, the root cause of what users
   * see must reach them through the traced calls, so only services in the call graph qualify (an
   * uninstrumented dependency appears there through its callers' client spans); with metrics alone,
   * every service does.
   */
  public Set<String> candidates() {
    return candidates(index);
  }

  private static Set<String> candidates(TelemetryIndex index) {
    if (index.callEdges().isEmpty()) {
      return index.services();
    }
    Set<String> out = new TreeSet<>();
    for (CallEdge e : index.callEdges()) {
      out.add(e.caller());
      out.add(e.callee());
    }
    return out;
  }

  /** Changes of each service's own series (not inherited latency), strongest first. */
  public Map<String, List<SeriesChange>> ownChangesByService() {
    Map<String, List<SeriesChange>> out = new HashMap<>();
    for (SeriesChange c : changes) {
      if (c.key().kind().own()) {
        out.computeIfAbsent(c.key().service(), k -> new ArrayList<>()).add(c);
      }
    }
    return out;
  }
}

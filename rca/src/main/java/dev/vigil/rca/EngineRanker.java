package dev.vigil.rca;

import dev.vigil.features.OperationFeatures;
import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.WindowFeatures;
import dev.vigil.models.Anomaly;
import dev.vigil.models.FeatureDeviation;
import dev.vigil.models.ServiceFeatureSchema.Feature;
import dev.vigil.rca.offline.AnalysisConfig;
import dev.vigil.rca.offline.CallEdge;
import dev.vigil.rca.offline.IncidentData;
import dev.vigil.rca.offline.IncidentRanker;
import dev.vigil.rca.offline.RankedCause;
import dev.vigil.rca.offline.Series;
import dev.vigil.rca.offline.SeriesChange;
import dev.vigil.rca.offline.SeriesKey;
import dev.vigil.rca.offline.SeriesKind;
import dev.vigil.rca.offline.TelemetryIndex;
import dev.vigil.rca.offline.TraceExample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The live service's ranker: the incident's windows become the same incident view ({@link
 * IncidentData}) that {@code vigil analyze} builds from a recording, and the same {@link
 * IncidentRanker} (by default the offline ensemble) ranks it, with the same evidence. What differs
 * is only where a series' change is scored: here by the anomaly monitor against its running
 * baselines ({@link DeviationSource}, robust z-scores), there by {@code RobustStats} against the
 * recording's normal window.
 *
 * <p>The view holds, per service, its self-time p95 ({@link SeriesKind#SELF_TIME}) and own error
 * rate ({@link SeriesKind#OWN_ERRORS}) per window, counted as a change only past {@link
 * #MIN_LATENCY_RATIO} and {@link #MIN_LATENCY_MILLIS} or {@link #MIN_ERROR_RATE_CHANGE}; the metric
 * ({@link SeriesKind#RESOURCE}) and log ({@link SeriesKind#LOG}) features the monitor flagged; the
 * call graph; and each operation's slowest trace as an example. A change's score is its largest
 * z-score over the windows. A self-time rise counts only past what its callees could explain
 * ({@link #notInherited}): their rise when the service's whole latency rose with its self time,
 * their whole p95 otherwise (child spans that reach a window late leave their time in the
 * caller's). Only the anomalous services and the services they call (directly or not) are returned,
 * and only those with a change of their own: a cause must explain what the monitor flagged. Log
 * changes of a service whose callee's own errors rose are left out ({@link
 * #withoutInheritedLogErrors}). O(windows x services + graph), then the ranker.
 */
final class EngineRanker implements RootCauseRanker {
  static final double MIN_LATENCY_RATIO = 1.3;
  static final double MIN_LATENCY_MILLIS = 5;
  static final double MIN_ERROR_RATE_CHANGE = 0.05;

  private final IncidentRanker ranker;
  private final AnalysisConfig config;

  EngineRanker(IncidentRanker ranker, AnalysisConfig config) {
    this.ranker = ranker;
    this.config = config;
  }

  @Override
  public String name() {
    return ranker.name();
  }

  @Override
  public List<RootCause> rank(IncidentEvidence incident) {
    Set<String> anomalous = incident.anomalousServices();
    if (anomalous.isEmpty() || incident.windows().isEmpty()) {
      return List.of();
    }
    IncidentData data = view(incident, config);
    // A cause must explain what was flagged: an anomalous service, or one they call; and it must
    // have changed itself. When the flagged services' own change was discounted away (their self
    // time was their callees' late spans) nothing is left, and the incident has no cause to name:
    // a quiet callee must not get the whole share because the shares add up to 1.
    Set<String> explaining = new TreeSet<>(anomalous);
    anomalous.forEach(s -> explaining.addAll(incident.graph().descendants(s)));
    Set<String> changed = data.ownChangesByService().keySet();
    List<RankedCause> kept =
        ranker.rank(data).stream()
            .filter(c -> explaining.contains(c.service()) && changed.contains(c.service()))
            .toList();
    double total = kept.stream().mapToDouble(RankedCause::score).sum();
    List<RootCause> out = new ArrayList<>();
    for (RankedCause c : kept) {
      out.add(
          new RootCause(
              c.service(),
              c.score() / total,
              anomalous.contains(c.service()),
              c.path(),
              c.evidence()));
    }
    return out;
  }

  /** The incident view of live windows. */
  static IncidentData view(IncidentEvidence incident, AnalysisConfig config) {
    List<WindowFeatures> windows = incident.windows();
    Instant start = windows.get(0).start();
    long end = windows.get(windows.size() - 1).end().toEpochMilli();
    Builder b = new Builder();
    for (WindowFeatures w : windows) {
      long t = w.start().toEpochMilli();
      for (ServiceFeatures f : w.services().values()) {
        b.services.add(f.service());
        if (f.requests() == 0) {
          continue;
        }
        b.point(
            new SeriesKey(f.service(), SeriesKind.SELF_TIME, SeriesKey.ALL_OPERATIONS, "ms"),
            t,
            f.selfP95Millis(),
            incident
                .deviations()
                .deviation(f, Feature.SELF_P95_LATENCY, w.size())
                .map(
                    d ->
                        notInherited(
                            d,
                            incident.deviations().deviation(f, Feature.P95_LATENCY, w.size()),
                            callees(f.service(), w, incident)))
                .filter(EngineRanker::isLatencyChange)
                .orElse(null));
        b.point(
            new SeriesKey(f.service(), SeriesKind.OWN_ERRORS, SeriesKey.ALL_OPERATIONS, "ratio"),
            t,
            f.selfErrorRate(),
            incident
                .deviations()
                .deviation(f, Feature.SELF_ERROR_RATE, w.size())
                .filter(EngineRanker::isErrorChange)
                .orElse(null));
      }
      for (OperationFeatures o : w.operations()) {
        if (!o.slowestTraceId().isEmpty()) {
          b.examples.add(
              new TraceExample(o.service(), o.operation(), t, o.p95Millis(), o.slowestTraceId()));
        }
      }
      w.signals()
          .forEach(
              (service, signals) ->
                  signals
                      .values()
                      .forEach((feature, v) -> b.signalPoint(service, feature, t, v, null)));
    }
    for (Anomaly a : incident.anomalies()) {
      for (FeatureDeviation d : a.drivers()) {
        if (d.feature().startsWith("metric:") || d.feature().startsWith("log:")) {
          b.signalPoint(a.service(), d.feature(), a.windowStart().toEpochMilli(), d.actual(), d);
        }
      }
    }
    List<CallEdge> edges = new ArrayList<>();
    for (List<String> e : incident.graph().edges()) {
      long calls = 0;
      long errors = 0;
      double latency = Double.NaN;
      var stats = incident.graph().edge(e.get(0), e.get(1));
      if (stats != null) {
        calls = stats.calls();
        errors = stats.errors();
        latency = stats.p50Millis();
      }
      edges.add(new CallEdge(e.get(0), e.get(1), calls, errors, Double.NaN, latency));
    }
    b.services.addAll(incident.graph().services());
    TelemetryIndex index =
        new TelemetryIndex(
            b.services,
            b.series(),
            edges,
            List.of(),
            List.of(),
            b.examples,
            windows.get(0).size().toMillis(),
            start.toEpochMilli(),
            end);
    return IncidentData.ofChanges(
        index,
        start,
        start.minus(config.normalWindow()).toEpochMilli(),
        end,
        config,
        withoutInheritedLogErrors(b.changes(), incident.graph()));
  }

  /** The p95 latency of a service's callees in a window, summed, and how far it rose, summed. */
  record CalleeTime(double p95Millis, double riseMillis) {}

  /**
   * How much self time the service could have inherited from its callees in a window: their p95
   * latency (a caller's self time is its latency minus its child spans; a child span that reached
   * the window late, or not at all, leaves the whole of the callee's time in the caller's self
   * time, so a slow callee can look like a slow caller), and their rise above their baselines (a
   * callee without a baseline counts with its whole p95).
   */
  private static CalleeTime callees(String service, WindowFeatures w, IncidentEvidence incident) {
    double p95 = 0;
    double rise = 0;
    for (String c : incident.graph().callees(service)) {
      ServiceFeatures f = w.services().get(c);
      if (f != null && f.requests() > 0 && Double.isFinite(f.p95Millis())) {
        p95 += f.p95Millis();
        rise +=
            incident
                .deviations()
                .deviation(f, Feature.P95_LATENCY, w.size())
                .map(d -> Math.max(0, d.actual() - d.baseline()))
                .orElse(f.p95Millis());
      }
    }
    return new CalleeTime(p95, rise);
  }

  /**
   * A self-time deviation without the part its callees could explain. When the service's latency as
   * a whole rose with its self time, the self time is time the requests gained, not time moved out
   * of late child spans: only the callees' own rise can explain it (a slow burn in the service
   * itself is then counted as soon as it shows). Otherwise, or without a latency baseline, the
   * worst case is assumed: every child span was missing, and the rise counts only past the callees'
   * whole p95.
   */
  static FeatureDeviation notInherited(
      FeatureDeviation d, Optional<FeatureDeviation> latency, CalleeTime callees) {
    double rise = d.actual() - d.baseline();
    if (!(rise > 0)) {
      return d;
    }
    double own = rise - callees.p95Millis();
    if (latency.isPresent()) {
      // Two readings of a self-time rise: the requests gained it (the latency rises by it plus
      // the callees' rise) or it moved out of missing child spans (the latency rises by the
      // callees' rise alone). The nearer one is taken.
      double latencyRise = latency.get().actual() - latency.get().baseline();
      if (latencyRise - callees.riseMillis() > rise / 2) {
        own = Math.max(own, Math.min(rise, latencyRise - callees.riseMillis()));
      }
    }
    own = Math.max(0, Math.min(rise, own));
    if (own == rise) {
      return d;
    }
    return new FeatureDeviation(
        d.feature(), d.unit(), d.baseline(), d.baseline() + own, d.zScore() * own / rise);
  }

  /**
   * The changes without the log changes of services that call a service whose own error rate rose:
   * a caller logs the failures of its calls, so its error logs then repeat its callee's errors
   * rather than show a fault of its own (they stay in the recording, only not as its own change).
   */
  static List<SeriesChange> withoutInheritedLogErrors(List<SeriesChange> changes, CallGraph graph) {
    Set<String> failing = new TreeSet<>();
    for (SeriesChange c : changes) {
      if (c.key().kind() == SeriesKind.OWN_ERRORS && c.score() > 0) {
        failing.add(c.key().service());
      }
    }
    if (failing.isEmpty()) {
      return changes;
    }
    List<SeriesChange> out = new ArrayList<>();
    for (SeriesChange c : changes) {
      boolean inherited =
          c.key().kind() == SeriesKind.LOG
              && graph.descendants(c.key().service()).stream().anyMatch(failing::contains);
      if (!inherited) {
        out.add(c);
      }
    }
    return out;
  }

  static boolean isLatencyChange(FeatureDeviation d) {
    return d.zScore() > 0
        && d.actual() >= d.baseline() * MIN_LATENCY_RATIO
        && d.actual() - d.baseline() >= MIN_LATENCY_MILLIS;
  }

  static boolean isErrorChange(FeatureDeviation d) {
    return d.zScore() > 0 && d.actual() - d.baseline() >= MIN_ERROR_RATE_CHANGE;
  }

  /** A metric or log feature's series key: {@code metric:<series>:<statistic>} or {@code log:x}. */
  static SeriesKey signalKey(String service, String feature, String unit) {
    if (feature.startsWith("metric:")) {
      int last = feature.lastIndexOf(':');
      String metric = feature.substring("metric:".length(), last);
      String statistic = feature.substring(last + 1);
      return new SeriesKey(
          service, SeriesKind.RESOURCE, metric + " (" + statistic + ")", unit == null ? "" : unit);
    }
    String name =
        switch (feature) {
          case "log:error_rate" -> "error-log rate";
          case "log:error_share" -> "share of error logs";
          case "log:errors" -> "error logs per window";
          default -> feature.substring("log:".length()).replace('_', ' ');
        };
    return new SeriesKey(service, SeriesKind.LOG, name, unit == null ? "" : unit);
  }

  /** The series and the strongest change of each, as they are collected. */
  private static final class Builder {
    final Set<String> services = new TreeSet<>();
    final List<TraceExample> examples = new ArrayList<>();
    final Map<SeriesKey, TreeMap<Long, Double>> points = new HashMap<>();
    final Map<SeriesKey, FeatureDeviation> strongest = new HashMap<>();
    final Map<String, SeriesKey> signalKeys = new HashMap<>();
    final Map<String, TreeMap<Long, Double>> pending = new HashMap<>();

    void point(SeriesKey key, long t, double value, FeatureDeviation d) {
      points.computeIfAbsent(key, k -> new TreeMap<>()).put(t, value);
      if (d != null) {
        FeatureDeviation old = strongest.get(key);
        if (old == null || Math.abs(d.zScore()) > Math.abs(old.zScore())) {
          strongest.put(key, d);
        }
      }
    }

    void signalPoint(String service, String feature, long t, double value, FeatureDeviation d) {
      SeriesKey key =
          d != null
              ? signalKeys.computeIfAbsent(
                  service + "\u0000" + feature, k -> signalKey(service, feature, d.unit()))
              : signalKeys.get(service + "\u0000" + feature);
      if (key == null) {
        // Only flagged signal features become series; their values are kept once one is.
        pending.computeIfAbsent(service + "\u0000" + feature, k -> new TreeMap<>()).put(t, value);
        return;
      }
      point(key, t, value, d);
    }

    List<Series> series() {
      List<Series> out = new ArrayList<>();
      signalKeys.forEach(
          (name, key) -> {
            TreeMap<Long, Double> p = pending.get(name);
            if (p != null) {
              p.forEach((t, v) -> points.get(key).putIfAbsent(t, v));
            }
          });
      points.forEach((key, byTime) -> out.add(series(key, byTime)));
      return out;
    }

    /**
     * A metric's key with its kind for this incident: a request-latency metric of a service whose
     * spans were seen is a symptom ({@link SeriesKind#ofMetric}), as offline.
     */
    private SeriesKey classified(SeriesKey key) {
      if (key.kind() != SeriesKind.RESOURCE) {
        return key;
      }
      boolean traced =
          points.containsKey(
              new SeriesKey(key.service(), SeriesKind.SELF_TIME, SeriesKey.ALL_OPERATIONS, "ms"));
      SeriesKind kind = SeriesKind.ofMetric(key.component(), traced);
      return kind == key.kind()
          ? key
          : new SeriesKey(key.service(), kind, key.component(), key.unit());
    }

    List<SeriesChange> changes() {
      List<SeriesChange> out = new ArrayList<>();
      strongest.forEach(
          (key, d) -> {
            double z = Math.abs(d.zScore());
            double spread = z > 0 ? Math.abs(d.actual() - d.baseline()) / z : Double.NaN;
            out.add(
                new SeriesChange(
                    series(key, points.get(key)), d.baseline(), d.actual(), spread, z, z));
          });
      return out;
    }

    private Series series(SeriesKey key, TreeMap<Long, Double> byTime) {
      long[] t = new long[byTime.size()];
      double[] v = new double[byTime.size()];
      int i = 0;
      for (Map.Entry<Long, Double> e : byTime.entrySet()) {
        t[i] = e.getKey();
        v[i++] = e.getValue();
      }
      return new Series(classified(key), t, v);
    }
  }
}

package dev.vigil.nlq;

import dev.vigil.features.EdgeFeatures;
import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.WindowFeatures;
import dev.vigil.nlq.ToolResults.Comparison;
import dev.vigil.nlq.ToolResults.Edge;
import dev.vigil.nlq.ToolResults.Impact;
import dev.vigil.nlq.ToolResults.Neighbours;
import dev.vigil.nlq.ToolResults.ServiceStats;
import dev.vigil.nlq.ToolResults.TraceRef;
import dev.vigil.rca.CallGraph;
import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tools over the live state that both the offline planner and a language model use: a service's
 * window features over a range, its slow and failed traces, incidents with their ranked causes and
 * evidence, call-graph neighbours, recent alerts, and comparisons between two ranges. Every number
 * of an answer comes from one of these.
 */
public final class TelemetryTools {

  /** A service changed when its p95 latency is at least this many times what it was... */
  public static final double DEFAULT_CHANGE_RATIO = 1.5;

  /** ...and moved by at least this many milliseconds, */
  public static final double DEFAULT_CHANGE_MIN_MILLIS = 5;

  /** or when its error rate moved by at least this much (absolute). */
  public static final double DEFAULT_CHANGE_ERROR_RATE = 0.02;

  private final LiveState state;

  public TelemetryTools(LiveState state) {
    this.state = Objects.requireNonNull(state, "state");
  }

  public LiveState state() {
    return state;
  }

  /** Every known service, sorted. */
  public List<String> services() {
    return new TreeSet<>(state.services()).stream().toList();
  }

  /** Services nobody in the call graph calls: where requests enter. */
  public List<String> entryServices() {
    CallGraph g = state.graph();
    return services().stream().filter(s -> g.callers(s).isEmpty()).toList();
  }

  /** A service's features over a range. */
  public ServiceStats stats(String service, TimeRange range) {
    int windows = 0;
    long requests = 0;
    long errors = 0;
    double p95Sum = 0;
    double selfSum = 0;
    long weighted = 0;
    double max = Double.NaN;
    for (WindowFeatures w : state.windows(range.from(), range.to())) {
      ServiceFeatures f = w.services().get(service);
      if (f == null) {
        continue;
      }
      windows++;
      requests += f.requests();
      errors += f.errors();
      if (f.requests() > 0 && !Double.isNaN(f.p95Millis())) {
        p95Sum += f.p95Millis() * f.requests();
        selfSum += f.selfP95Millis() * f.requests();
        weighted += f.requests();
        max = Double.isNaN(max) ? f.p95Millis() : Math.max(max, f.p95Millis());
      }
    }
    return new ServiceStats(
        service,
        range,
        windows,
        requests,
        errors,
        weighted == 0 ? Double.NaN : p95Sum / weighted,
        max,
        weighted == 0 ? Double.NaN : selfSum / weighted);
  }

  /** The slowest (or failed) exemplar traces of a service in a range, slowest first. */
  public List<TraceRef> traces(String service, TimeRange range, boolean failed, int limit) {
    Map<String, TraceRef> byId = new LinkedHashMap<>();
    for (WindowFeatures w : state.windows(range.from(), range.to())) {
      ServiceFeatures f = w.services().get(service);
      if (f == null) {
        continue;
      }
      List<String> ids = failed ? f.errorTraceIds() : f.slowTraceIds();
      for (String id : ids) {
        double ms = f.traceMillis().getOrDefault(id, Double.NaN);
        TraceRef ref = new TraceRef(id, service, ms, w.start(), f.errorTraceIds().contains(id));
        byId.merge(id, ref, (a, b) -> Double.compare(b.millis(), a.millis()) > 0 ? b : a);
      }
    }
    return byId.values().stream()
        .sorted(
            Comparator.comparingDouble((TraceRef t) -> Double.isNaN(t.millis()) ? -1 : t.millis())
                .reversed()
                .thenComparing(TraceRef::traceId))
        .limit(limit)
        .toList();
  }

  /** A trace as an exemplar of the service, from the windows in the range, or empty. */
  public Optional<TraceRef> trace(String service, String traceId, TimeRange range) {
    TraceRef best = null;
    for (WindowFeatures w : state.windows(range.from(), range.to())) {
      ServiceFeatures f = w.services().get(service);
      if (f == null
          || !f.traceMillis().containsKey(traceId)
              && !f.slowTraceIds().contains(traceId)
              && !f.errorTraceIds().contains(traceId)) {
        continue;
      }
      TraceRef ref =
          new TraceRef(
              traceId,
              service,
              f.traceMillis().getOrDefault(traceId, Double.NaN),
              w.start(),
              f.errorTraceIds().contains(traceId));
      if (best == null || ref.millis() > best.millis()) {
        best = ref;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Whether any window in the state holds this trace id as an exemplar of any service. */
  public boolean traceExists(String traceId) {
    for (WindowFeatures w : state.windows(java.time.Instant.EPOCH, state.now().plusSeconds(1))) {
      for (ServiceFeatures f : w.services().values()) {
        if (f.slowTraceIds().contains(traceId) || f.errorTraceIds().contains(traceId)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Incidents that overlap the range (an open one overlaps every range after its start), newest
   * first, involving the service when one is given: affected by it, among its top three causes, or
   * calling its top cause directly or through others (the service depends on the fault).
   */
  public List<Incident> incidents(TimeRange range, String service) {
    Set<String> downstream = service == null ? Set.of() : state.graph().descendants(service);
    return state.incidents().stream()
        .filter(i -> range.overlaps(i.startedAt(), i.resolvedAt()))
        .filter(
            i ->
                service == null
                    || involves(i, service)
                    || !i.rootCauses().isEmpty()
                        && downstream.contains(i.rootCauses().get(0).service()))
        .toList();
  }

  /** The incident with this id. */
  public Optional<Incident> incident(String id) {
    return state.incidents().stream().filter(i -> i.id().equalsIgnoreCase(id)).findFirst();
  }

  static boolean involves(Incident i, String service) {
    return i.affectedServices().contains(service)
        || i.rootCauses().stream().limit(3).anyMatch(r -> r.service().equals(service));
  }

  /** Alerts in the range, newest first, of the service when one is given. */
  public List<ToolResultsAlert> alerts(TimeRange range, String service) {
    return state.alerts().stream()
        .filter(a -> !a.at().isBefore(range.from()) && !a.at().isAfter(range.to()))
        .filter(a -> service == null || a.service().equals(service))
        .map(ToolResultsAlert::new)
        .toList();
  }

  /** The alert with this id. */
  public Optional<AlertNote> alert(String id) {
    return state.alerts().stream().filter(a -> a.id().equalsIgnoreCase(id)).findFirst();
  }

  /** An alert with its fact line. */
  public record ToolResultsAlert(AlertNote alert) {
    public String fact() {
      return String.format(
          java.util.Locale.ROOT,
          "alert %s: %s %s at %s, grade %s, drivers %s.",
          alert.id(),
          alert.service(),
          alert.status(),
          alert.at(),
          Format.score(alert.grade()),
          alert.drivers().isEmpty() ? "none" : String.join(", ", alert.drivers()));
    }
  }

  /** Who calls the service and whom it calls, with the calls over the range. */
  public Neighbours neighbours(String service, TimeRange range) {
    CallGraph g = state.graph();
    List<Edge> callers = new ArrayList<>();
    for (String c : g.callers(service)) {
      callers.add(edge(c, service, range));
    }
    List<Edge> callees = new ArrayList<>();
    for (String c : g.callees(service)) {
      callees.add(edge(service, c, range));
    }
    return new Neighbours(service, callers, callees);
  }

  /** Calls from caller to callee over the range. */
  public Edge edge(String caller, String callee, TimeRange range) {
    long calls = 0;
    long errors = 0;
    double p95Sum = 0;
    for (WindowFeatures w : state.windows(range.from(), range.to())) {
      for (EdgeFeatures e : w.edges()) {
        if (e.caller().equals(caller) && e.callee().equals(callee)) {
          calls += e.calls();
          errors += e.errors();
          if (!Double.isNaN(e.p95Millis())) {
            p95Sum += e.p95Millis() * e.calls();
          }
        }
      }
    }
    return new Edge(caller, callee, calls, errors, calls == 0 ? Double.NaN : p95Sum / calls);
  }

  /** A service's features over two ranges. */
  public Comparison compare(String service, TimeRange current, TimeRange baseline) {
    return new Comparison(stats(service, current), stats(service, baseline));
  }

  /**
   * Services whose latency or error rate in the range differs from the range just before it, most
   * changed first (see {@link #DEFAULT_CHANGE_RATIO}).
   */
  public List<Comparison> changes(TimeRange range) {
    TimeRange before =
        range.shiftedBack(range.length(), "the " + range.length().toMinutes() + " minutes before");
    List<Comparison> out = new ArrayList<>();
    for (String s : services()) {
      Comparison c = compare(s, range, before);
      if (changed(c)) {
        out.add(c);
      }
    }
    out.sort(Comparator.comparingDouble(TelemetryTools::magnitude).reversed());
    return out;
  }

  static boolean changed(Comparison c) {
    ServiceStats now = c.current();
    ServiceStats then = c.baseline();
    if (!now.hasData() || !then.hasData()) {
      return false;
    }
    boolean latency =
        now.p95Millis() >= DEFAULT_CHANGE_RATIO * then.p95Millis()
            && now.p95Millis() - then.p95Millis() >= DEFAULT_CHANGE_MIN_MILLIS;
    boolean errors = Math.abs(now.errorRate() - then.errorRate()) >= DEFAULT_CHANGE_ERROR_RATE;
    return latency || errors;
  }

  private static double magnitude(Comparison c) {
    double ratio = c.current().p95Millis() / Math.max(1e-9, c.baseline().p95Millis());
    return Math.max(ratio, 1 + 50 * Math.abs(c.current().errorRate() - c.baseline().errorRate()));
  }

  /**
   * How far the incident reaches: its affected callers on the top cause's propagation path and the
   * share of the entry service's requests that called the next service on that path while it ran.
   */
  public Impact impact(Incident incident) {
    RootCause top = incident.rootCauses().get(0);
    List<String> path = top.path();
    List<String> callers =
        path.stream().skip(1).filter(s -> incident.affectedServices().contains(s)).toList();
    Set<String> entries = new TreeSet<>(entryServices());
    String entry = null;
    String head = null;
    for (int k = path.size() - 1; k >= 1; k--) {
      if (entries.contains(path.get(k))) {
        entry = path.get(k);
        head = path.get(k - 1);
        break;
      }
    }
    if (entry == null && entries.contains(top.service())) {
      entry = top.service();
    }
    TimeRange during =
        new TimeRange(
            incident.startedAt(),
            incident.resolvedAt() != null ? incident.resolvedAt() : state.now(),
            "during " + incident.id());
    double share = Double.NaN;
    long requests = 0;
    if (entry != null && head != null) {
      requests = stats(entry, during).requests();
      long calls = edge(entry, head, during).calls();
      share = requests == 0 ? Double.NaN : Math.min(1, (double) calls / requests);
    }
    return new Impact(incident, top, callers, entry, head, share, requests);
  }
}

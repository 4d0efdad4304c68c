package dev.vigil.rca;

import dev.vigil.features.WindowFeatures;
import dev.vigil.models.Anomaly;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The mutable state of one open incident: its affected services, the latest windows and anomalies
 * behind its ranking, its quiet-window count and its latest report. Not thread-safe.
 */
final class IncidentAccumulator {
  private final Set<String> affected = new TreeSet<>();
  private final Deque<WindowFeatures> windows = new ArrayDeque<>();
  private final List<Anomaly> anomalies = new ArrayList<>();
  private final int maxWindows;
  private Incident report;
  private int quiet;

  IncidentAccumulator(Incident report, Collection<WindowFeatures> windows, int maxWindows) {
    this.report = report;
    this.maxWindows = maxWindows;
    this.affected.addAll(report.affectedServices());
    this.anomalies.addAll(report.anomalies());
    windows.forEach(this::addWindow);
  }

  Incident report() {
    return report;
  }

  String id() {
    return report.id();
  }

  Set<String> affected() {
    return affected;
  }

  List<WindowFeatures> windows() {
    return List.copyOf(windows);
  }

  List<Anomaly> anomalies() {
    return anomalies;
  }

  int quiet() {
    return quiet;
  }

  void quiet(int quiet) {
    this.quiet = quiet;
  }

  /**
   * Whether an anomalous service belongs to this incident, following how faults propagate: it is
   * affected already; or it calls (at any distance) an affected service, so it may be suffering the
   * same fault; or the top-ranked cause calls it (at any distance), so it may be a deeper cause.
   */
  boolean related(String service, CallGraph graph) {
    if (affected.contains(service)) {
      return true;
    }
    if (!graph.services().contains(service)) {
      return false;
    }
    Set<String> below = graph.descendants(service);
    if (affected.stream().anyMatch(below::contains)) {
      return true;
    }
    return isBelowTopCause(service, graph);
  }

  /** Whether the top-ranked cause calls this service, directly or not. */
  boolean isBelowTopCause(String service, CallGraph graph) {
    String top = report.topCause();
    return top != null && graph.ancestors(service).contains(top);
  }

  /** Adds a window's related anomalies; whether a new service became affected. */
  boolean add(WindowFeatures window, List<Anomaly> related) {
    boolean grew = false;
    for (Anomaly a : related) {
      grew |= affected.add(a.service());
    }
    addWindow(window);
    anomalies.addAll(related);
    return grew;
  }

  /** Folds another incident's services, windows and anomalies into this one. */
  void absorb(IncidentAccumulator other) {
    affected.addAll(other.affected);
    Set<Instant> starts = new TreeSet<>();
    windows.forEach(w -> starts.add(w.start()));
    List<WindowFeatures> all = new ArrayList<>(windows);
    other.windows.stream().filter(w -> !starts.contains(w.start())).forEach(all::add);
    all.sort((a, b) -> a.start().compareTo(b.start()));
    windows.clear();
    all.forEach(this::addWindow);
    anomalies.addAll(other.anomalies);
    trimAnomalies();
    quiet = Math.min(quiet, other.quiet);
  }

  /** A new report: same id and start, the given ranking. */
  Incident rerank(List<RootCause> ranked, Instant startedAt) {
    Instant start = startedAt.isBefore(report.startedAt()) ? startedAt : report.startedAt();
    report =
        new Incident(
            report.id(),
            Incident.OPEN,
            start,
            report.detectedAt(),
            null,
            List.copyOf(affected),
            ranked.isEmpty() ? report.rootCauses() : ranked,
            anomalies);
    return report;
  }

  Incident resolve(Instant at) {
    report = report.resolve(at, List.copyOf(affected));
    return report;
  }

  Incident mergeInto(Instant at, String survivor) {
    report = report.mergeInto(at, survivor);
    return report;
  }

  private void addWindow(WindowFeatures w) {
    if (!windows.isEmpty() && windows.peekLast().start().equals(w.start())) {
      return;
    }
    windows.addLast(w);
    trimAnomalies();
  }

  private void trimAnomalies() {
    boolean dropped = false;
    while (windows.size() > maxWindows) {
      windows.removeFirst();
      dropped = true;
    }
    if (dropped) {
      Instant oldest = windows.peekFirst().start();
      anomalies.removeIf(a -> a.windowStart().isBefore(oldest));
    }
  }
}

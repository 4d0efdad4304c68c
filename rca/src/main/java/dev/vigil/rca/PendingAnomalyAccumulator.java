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
 * The anomalies that no open incident explains, over the current run of windows that had some: the
 * material new incidents are opened from. A window without such anomalies ends the run. Not
 * thread-safe.
 */
final class PendingAnomalyAccumulator {
  private final Deque<WindowFeatures> windows = new ArrayDeque<>();
  private final List<Anomaly> anomalies = new ArrayList<>();
  private final int maxWindows;

  PendingAnomalyAccumulator(int maxWindows) {
    this.maxWindows = maxWindows;
  }

  /** Adds a window and its unexplained anomalies; an empty list ends the run. */
  void add(WindowFeatures window, List<Anomaly> unexplained) {
    if (unexplained.isEmpty()) {
      clear();
      return;
    }
    windows.addLast(window);
    anomalies.addAll(unexplained);
    if (windows.size() > maxWindows) {
      windows.removeFirst();
      Instant oldest = windows.peekFirst().start();
      anomalies.removeIf(a -> a.windowStart().isBefore(oldest));
    }
  }

  void clear() {
    windows.clear();
    anomalies.clear();
  }

  /** The services with pending anomalies, sorted. */
  Set<String> services() {
    Set<String> out = new TreeSet<>();
    anomalies.forEach(a -> out.add(a.service()));
    return out;
  }

  List<WindowFeatures> windows() {
    return List.copyOf(windows);
  }

  /** The pending anomalies of the given services. */
  List<Anomaly> anomaliesOf(Collection<String> services) {
    return anomalies.stream().filter(a -> services.contains(a.service())).toList();
  }

  /** Drops the anomalies of services that an incident has taken. */
  void remove(Collection<String> services) {
    anomalies.removeIf(a -> services.contains(a.service()));
    if (anomalies.isEmpty()) {
      windows.clear();
    }
  }
}

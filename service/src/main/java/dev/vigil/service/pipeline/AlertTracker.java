package dev.vigil.service.pipeline;

import dev.vigil.features.WindowFeatures;
import dev.vigil.models.Anomaly;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The lifecycle of per-service alerts, as Prometheus' {@code for:} clause does it: an alert fires
 * once a service has been anomalous for {@code pendingWindows} consecutive windows and resolves
 * after {@code quietWindows} windows without an anomaly of that service. One anomalous window on
 * its own (a burst of slow requests on a quiet service) is published as an anomaly but does not
 * page anyone. A window in which a firing alert's service is unsettled (deviating, but with too
 * little evidence to be flagged) does not count as quiet. Not thread-safe.
 */
final class AlertTracker {
  private static final class State {
    int anomalous;
    int quiet;
    boolean firing;
  }

  private final int pendingWindows;
  private final int quietWindows;
  private final Map<String, State> states = new TreeMap<>();

  AlertTracker(int pendingWindows, int quietWindows) {
    if (pendingWindows < 1 || quietWindows < 1) {
      throw new IllegalArgumentException(
          "pending and quiet windows must be at least 1, got "
              + pendingWindows
              + ", "
              + quietWindows);
    }
    this.pendingWindows = pendingWindows;
    this.quietWindows = quietWindows;
  }

  List<Alert> observe(WindowFeatures window, List<Anomaly> anomalies) {
    return observe(window, anomalies, Set.of());
  }

  List<Alert> observe(WindowFeatures window, List<Anomaly> anomalies, Set<String> unsettled) {
    List<Alert> out = new ArrayList<>();
    Map<String, Anomaly> byService = new HashMap<>();
    anomalies.forEach(
        a -> byService.merge(a.service(), a, (x, y) -> x.grade() >= y.grade() ? x : y));
    for (Anomaly a : byService.values()) {
      states.computeIfAbsent(a.service(), s -> new State());
    }
    for (Iterator<Map.Entry<String, State>> it = states.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, State> e = it.next();
      String service = e.getKey();
      State s = e.getValue();
      Anomaly a = byService.get(service);
      if (a != null) {
        s.anomalous++;
        s.quiet = 0;
        if (!s.firing && s.anomalous >= pendingWindows) {
          s.firing = true;
          out.add(
              new Alert(
                  service, Alert.FIRING, window.end(), a.grade(), a.detectors(), a.drivers()));
        }
      } else if (s.firing && unsettled.contains(service)) {
        s.anomalous = 0; // no evidence either way: the alert stays as it is
      } else {
        s.anomalous = 0;
        s.quiet++;
        if (s.firing && s.quiet >= quietWindows) {
          out.add(new Alert(service, Alert.RESOLVED, window.end(), 0, List.of(), List.of()));
          it.remove();
        } else if (!s.firing) {
          it.remove();
        }
      }
    }
    return out;
  }
}

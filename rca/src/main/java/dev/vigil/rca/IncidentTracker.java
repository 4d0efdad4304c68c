package dev.vigil.rca;

import dev.vigil.features.WindowFeatures;
import dev.vigil.models.Anomaly;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Groups per-window anomalies into incidents. An incident opens when {@code minConsecutive} windows
 * in a row have anomalies (one noisy window is not an incident), is ranked once with those windows,
 * and resolves after {@code quietWindows} windows in a row without anomalies. Not thread-safe.
 */
public final class IncidentTracker {
  public static final int DEFAULT_MIN_CONSECUTIVE = 2;
  public static final int DEFAULT_QUIET_WINDOWS = 3;
  private static final int MAX_CONTEXT_WINDOWS = 12;

  private final RootCauseRanker ranker;
  private final DeviationSource deviations;
  private final int minConsecutive;
  private final int quietWindows;
  private final Deque<WindowFeatures> streakWindows = new ArrayDeque<>();
  private final List<Anomaly> streakAnomalies = new ArrayList<>();
  private final Set<String> affected = new TreeSet<>();
  private Incident open;
  private int quiet;
  private int sequence;

  public IncidentTracker(
      RootCauseRanker ranker, DeviationSource deviations, int minConsecutive, int quietWindows) {
    if (minConsecutive < 1) {
      throw new IllegalArgumentException("minConsecutive must be at least 1");
    }
    if (quietWindows < 1) {
      throw new IllegalArgumentException("quietWindows must be at least 1");
    }
    this.ranker = ranker;
    this.deviations = deviations;
    this.minConsecutive = minConsecutive;
    this.quietWindows = quietWindows;
  }

  public IncidentTracker(RootCauseRanker ranker, DeviationSource deviations) {
    this(ranker, deviations, DEFAULT_MIN_CONSECUTIVE, DEFAULT_QUIET_WINDOWS);
  }

  /**
   * Takes one closed window and its anomalies; returns the incidents opened or resolved by it. The
   * graph must already include the window.
   */
  public List<Incident> observe(WindowFeatures window, List<Anomaly> anomalies, CallGraph graph) {
    if (anomalies.isEmpty()) {
      streakWindows.clear();
      streakAnomalies.clear();
      if (open == null) {
        affected.clear();
      } else if (++quiet >= quietWindows) {
        Incident resolved = open.resolve(window.end(), List.copyOf(affected));
        open = null;
        affected.clear();
        return List.of(resolved);
      }
      return List.of();
    }
    quiet = 0;
    anomalies.forEach(a -> affected.add(a.service()));
    if (open != null) {
      return List.of();
    }
    streakWindows.addLast(window);
    streakAnomalies.addAll(anomalies);
    while (streakWindows.size() > MAX_CONTEXT_WINDOWS) {
      streakWindows.removeFirst();
    }
    if (streakWindows.size() < minConsecutive) {
      return List.of();
    }
    IncidentEvidence evidence =
        new IncidentEvidence(List.copyOf(streakWindows), streakAnomalies, graph, deviations);
    List<RootCause> ranked = ranker.rank(evidence);
    open =
        new Incident(
            "inc-" + ++sequence,
            Incident.OPEN,
            streakWindows.peekFirst().start(),
            window.end(),
            null,
            List.copyOf(affected),
            ranked,
            streakAnomalies);
    streakWindows.clear();
    streakAnomalies.clear();
    return List.of(open);
  }

  /** The open incident, or null. */
  public Incident current() {
    return open;
  }
}

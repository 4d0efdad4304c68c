package dev.vigil.rca;

import dev.vigil.features.WindowFeatures;
import dev.vigil.models.Anomaly;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Groups per-window anomalies into incidents. An incident opens when one service has been anomalous
 * in {@code minConsecutive} windows in a row (one noisy window is not an incident, nor are two
 * unrelated blips in different services one after the other) and is ranked with the windows of the
 * current run of anomalous windows. While it is open, each window that brings a newly affected
 * service re-ranks it with the windows seen so far (the latest {@value #MAX_CONTEXT_WINDOWS}) and
 * emits it again, same id, still open: a fault's effects spread over a few windows and the ranking
 * should see them. It resolves after {@code quietWindows} windows in a row without anomalies. A
 * window in which an affected service is unsettled (deviating, but with too little evidence to be
 * flagged; see {@code WindowAssessment}) is neither: it does not keep the incident open, nor does
 * it count towards resolving it, so a fault in a quiet service does not resolve and reopen its
 * incident whenever a window happens to hold too few of its errors. Not thread-safe.
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
  private final Map<String, Integer> serviceStreaks = new HashMap<>();
  private final Deque<WindowFeatures> openWindows = new ArrayDeque<>();
  private final List<Anomaly> openAnomalies = new ArrayList<>();
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
    return observe(window, anomalies, Set.of(), graph);
  }

  /**
   * Takes one closed window, its anomalies and the services whose window was unsettled; returns the
   * incidents opened or resolved by it. The graph must already include the window.
   */
  public List<Incident> observe(
      WindowFeatures window, List<Anomaly> anomalies, Set<String> unsettled, CallGraph graph) {
    Set<String> anomalous = new HashSet<>();
    anomalies.forEach(a -> anomalous.add(a.service()));
    serviceStreaks.keySet().retainAll(anomalous);
    anomalous.forEach(s -> serviceStreaks.merge(s, 1, Integer::sum));
    if (open != null) {
      return observeOpen(window, anomalies, unsettled, graph);
    }
    if (anomalies.isEmpty()) {
      streakWindows.clear();
      streakAnomalies.clear();
      affected.clear();
      return List.of();
    }
    anomalies.forEach(a -> affected.add(a.service()));
    streakWindows.addLast(window);
    streakAnomalies.addAll(anomalies);
    while (streakWindows.size() > MAX_CONTEXT_WINDOWS) {
      streakWindows.removeFirst();
    }
    if (serviceStreaks.values().stream().allMatch(n -> n < minConsecutive)) {
      return List.of();
    }
    IncidentEvidence evidence =
        new IncidentEvidence(List.copyOf(streakWindows), streakAnomalies, graph, deviations);
    List<RootCause> ranked = ranker.rank(evidence);
    if (ranked.isEmpty()) {
      return List.of(); // nothing to point at: not an incident anyone could act on
    }
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
    quiet = 0; // quiet windows count from the opening, not from the previous incident's end
    openWindows.clear();
    openWindows.addAll(streakWindows);
    openAnomalies.clear();
    openAnomalies.addAll(streakAnomalies);
    streakWindows.clear();
    streakAnomalies.clear();
    return List.of(open);
  }

  /**
   * A window while an incident is open: only anomalies related to it count, for growing it and for
   * keeping it open.
   */
  private List<Incident> observeOpen(
      WindowFeatures window, List<Anomaly> anomalies, Set<String> unsettled, CallGraph graph) {
    List<Anomaly> related = anomalies.stream().filter(a -> related(a.service(), graph)).toList();
    if (related.isEmpty()) {
      if (unsettled.stream().anyMatch(affected::contains)) {
        return List.of(); // no evidence either way: neither quiet nor anomalous
      }
      if (++quiet < quietWindows) {
        return List.of();
      }
      Incident resolved = open.resolve(window.end(), List.copyOf(affected));
      open = null;
      openWindows.clear();
      openAnomalies.clear();
      affected.clear();
      return List.of(resolved);
    }
    quiet = 0;
    boolean grew = false;
    for (Anomaly a : related) {
      grew |= affected.add(a.service());
    }
    openWindows.addLast(window);
    openAnomalies.addAll(related);
    while (openWindows.size() > MAX_CONTEXT_WINDOWS) {
      openWindows.removeFirst();
      Instant oldest = openWindows.peekFirst().start();
      openAnomalies.removeIf(a -> a.windowStart().isBefore(oldest));
    }
    if (!grew) {
      return List.of();
    }
    IncidentEvidence evidence =
        new IncidentEvidence(List.copyOf(openWindows), openAnomalies, graph, deviations);
    open =
        new Incident(
            open.id(),
            Incident.OPEN,
            open.startedAt(),
            open.detectedAt(),
            null,
            List.copyOf(affected),
            ranker.rank(evidence),
            openAnomalies);
    return List.of(open);
  }

  /**
   * Whether a newly anomalous service belongs to the open incident, following how faults propagate:
   * it is a caller (at any distance) of an affected service, so it may be suffering the same fault;
   * or it is a callee (at any distance) of the top-ranked cause, so it may be a deeper cause. A
   * blip anywhere else does not join the incident, nor move its ranking.
   */
  private boolean related(String service, CallGraph graph) {
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
    return !open.rootCauses().isEmpty()
        && graph.ancestors(service).contains(open.rootCauses().get(0).service());
  }

  /** The open incident, or null. */
  public Incident current() {
    return open;
  }
}

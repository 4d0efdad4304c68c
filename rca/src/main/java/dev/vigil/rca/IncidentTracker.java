package dev.vigil.rca;

import dev.vigil.features.WindowFeatures;
import dev.vigil.models.Anomaly;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Groups per-window anomalies into incidents, several at once when independent faults hit unrelated
 * parts of the call graph.
 *
 * <p>Each window's anomalies first go to the open incidents that explain them (see {@link
 * IncidentAccumulator#related}): a service already affected, a caller of an affected service, or a
 * callee of the incident's top cause. One anomaly may join several incidents (the entry service
 * suffers from every fault below it). When an anomaly is a callee of the top causes of two open
 * incidents, it may be their common deeper cause: the incidents merge into the older one, and the
 * younger is reported {@code merged}. An incident that gains a service is re-ranked with its latest
 * {@value #MAX_CONTEXT_WINDOWS} windows and reported again, same id, still open; its propagation
 * path grows with it.
 *
 * <p>Anomalies that no open incident explains are pending. A new incident opens once a pending
 * service has been anomalous in {@code minConsecutive} windows in a row (one noisy window is not an
 * incident, nor are unrelated blips in different services one after the other): the pending
 * anomalies are ranked, the top cause takes the pending services on its call path (its callers and
 * callees) into a new incident, and the rest, if one of them qualifies too, is ranked again for
 * another incident, so two simultaneous faults in separate branches open two incidents. A ranking
 * never points at the top cause of another open incident.
 *
 * <p>An incident resolves after {@code quietWindows} windows in a row without an anomaly that only
 * it explains. A window in which an affected service is unsettled (deviating, but with too little
 * evidence to be flagged; see {@code WindowAssessment}) is neither quiet nor anomalous, so a fault
 * in a quiet service does not resolve and reopen its incident whenever a window happens to hold too
 * few of its errors. Ids come from {@link TimeOrderedIds}: unique across restarts and instances.
 * Not thread-safe. O(incidents x anomalies x graph) per window.
 */
public final class IncidentTracker {
  public static final int DEFAULT_MIN_CONSECUTIVE = 2;
  public static final int DEFAULT_QUIET_WINDOWS = 3;
  static final int MAX_CONTEXT_WINDOWS = 12;

  private final RootCauseRanker ranker;
  private final DeviationSource deviations;
  private final int minConsecutive;
  private final int quietWindows;
  private final TimeOrderedIds ids;
  private final Map<String, Integer> serviceStreaks = new HashMap<>();
  private final PendingAnomalyAccumulator pending =
      new PendingAnomalyAccumulator(MAX_CONTEXT_WINDOWS);
  private final List<IncidentAccumulator> open = new ArrayList<>();

  private IncidentTracker(Builder b) {
    if (b.minConsecutive < 1) {
      throw new IllegalArgumentException("minConsecutive must be at least 1");
    }
    if (b.quietWindows < 1) {
      throw new IllegalArgumentException("quietWindows must be at least 1");
    }
    this.ranker = b.ranker;
    this.deviations = b.deviations;
    this.minConsecutive = b.minConsecutive;
    this.quietWindows = b.quietWindows;
    this.ids = b.ids;
  }

  public IncidentTracker(
      RootCauseRanker ranker, DeviationSource deviations, int minConsecutive, int quietWindows) {
    this(builder(ranker, deviations).minConsecutive(minConsecutive).quietWindows(quietWindows));
  }

  public IncidentTracker(RootCauseRanker ranker, DeviationSource deviations) {
    this(builder(ranker, deviations));
  }

  public static Builder builder(RootCauseRanker ranker, DeviationSource deviations) {
    return new Builder(ranker, deviations);
  }

  /**
   * Takes one closed window and its anomalies; returns the incidents opened, grown, merged or
   * resolved by it. The graph must already include the window.
   */
  public List<Incident> observe(WindowFeatures window, List<Anomaly> anomalies, CallGraph graph) {
    return observe(window, anomalies, Set.of(), graph);
  }

  /**
   * Takes one closed window, its anomalies and the services whose window was unsettled; returns the
   * incidents opened, grown, merged or resolved by it, each once (its latest report). The graph
   * must already include the window.
   */
  public List<Incident> observe(
      WindowFeatures window, List<Anomaly> anomalies, Set<String> unsettled, CallGraph graph) {
    Set<String> anomalous = new HashSet<>();
    anomalies.forEach(a -> anomalous.add(a.service()));
    serviceStreaks.keySet().retainAll(anomalous);
    anomalous.forEach(s -> serviceStreaks.merge(s, 1, Integer::sum));

    Map<String, Incident> events = new LinkedHashMap<>();
    Map<IncidentAccumulator, List<Anomaly>> related = new IdentityHashMap<>();
    open.forEach(i -> related.put(i, new ArrayList<>()));
    Map<Anomaly, Integer> owners = new IdentityHashMap<>();
    Set<IncidentAccumulator> merged = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Anomaly> unexplained = new ArrayList<>();
    for (Anomaly a : anomalies) {
      List<IncidentAccumulator> explaining =
          open.stream().filter(i -> i.related(a.service(), graph)).toList();
      explaining.forEach(i -> related.get(i).add(a));
      owners.put(a, explaining.size());
      if (explaining.isEmpty()) {
        unexplained.add(a);
      }
      IncidentAccumulator survivor = mergeAt(a, explaining, window, graph, related, events);
      if (survivor != null) {
        merged.add(survivor);
      }
    }
    for (IncidentAccumulator i : List.copyOf(open)) {
      observeOpen(i, window, related.get(i), owners, merged.contains(i), unsettled, graph, events);
    }
    pending.add(window, unexplained);
    openNew(window, graph, events);
    return List.copyOf(events.values());
  }

  /**
   * A new anomaly below the top causes of several open incidents, and in none of them yet, may be
   * their common cause: they become one, the oldest, which is returned (null when nothing merged).
   */
  private IncidentAccumulator mergeAt(
      Anomaly a,
      List<IncidentAccumulator> explaining,
      WindowFeatures window,
      CallGraph graph,
      Map<IncidentAccumulator, List<Anomaly>> related,
      Map<String, Incident> events) {
    List<IncidentAccumulator> below =
        explaining.stream()
            .filter(i -> !i.affected().contains(a.service()))
            .filter(i -> i.isBelowTopCause(a.service(), graph))
            .toList();
    if (below.size() < 2) {
      return null;
    }
    IncidentAccumulator survivor = below.get(0); // open incidents are kept oldest first
    for (IncidentAccumulator other : below.subList(1, below.size())) {
      survivor.absorb(other);
      List<Anomaly> moved = related.remove(other);
      List<Anomaly> into = related.get(survivor);
      moved.stream().filter(m -> into.stream().noneMatch(x -> x == m)).forEach(into::add);
      open.remove(other);
      events.put(other.id(), other.mergeInto(window.end(), survivor.id()));
    }
    return survivor;
  }

  private void observeOpen(
      IncidentAccumulator incident,
      WindowFeatures window,
      List<Anomaly> related,
      Map<Anomaly, Integer> owners,
      boolean absorbed,
      Set<String> unsettled,
      CallGraph graph,
      Map<String, Incident> events) {
    boolean exclusive = related.stream().anyMatch(a -> owners.getOrDefault(a, 1) == 1);
    boolean grew = related.isEmpty() ? false : incident.add(window, related);
    if (exclusive) {
      incident.quiet(0);
    } else if (unsettled.stream().noneMatch(incident.affected()::contains)) {
      incident.quiet(incident.quiet() + 1);
      if (incident.quiet() >= quietWindows) {
        open.remove(incident);
        events.put(incident.id(), incident.resolve(window.end()));
        return;
      }
    }
    if (grew || absorbed) {
      List<RootCause> ranked =
          rank(incident.windows(), ownAnomalies(incident), graph, incident.id());
      events.put(incident.id(), incident.rerank(ranked, incident.report().startedAt()));
    }
  }

  /**
   * The incident's anomalies without those of services another open incident lists too (the entry
   * service suffering from two faults): a symptom both share cannot tell their causes apart, and
   * would let one incident's ranking wander into the other's branch. All of them when that leaves
   * none.
   */
  private List<Anomaly> ownAnomalies(IncidentAccumulator incident) {
    Set<String> shared = new HashSet<>();
    for (IncidentAccumulator other : open) {
      if (other != incident) {
        shared.addAll(other.affected());
      }
    }
    List<Anomaly> own =
        incident.anomalies().stream().filter(a -> !shared.contains(a.service())).toList();
    return own.isEmpty() ? incident.anomalies() : own;
  }

  /** Opens incidents from the pending anomalies, as many as independent causes qualify. */
  private void openNew(WindowFeatures window, CallGraph graph, Map<String, Incident> events) {
    Set<String> remaining = pending.services();
    while (remaining.stream().anyMatch(this::qualifies)) {
      List<Anomaly> candidates = pending.anomaliesOf(remaining);
      List<RootCause> ranked = rank(pending.windows(), candidates, graph, null);
      if (ranked.isEmpty()) {
        return; // nothing to point at: not an incident anyone could act on
      }
      String top = ranked.get(0).service();
      Set<String> onPath = new TreeSet<>(graph.ancestors(top));
      onPath.addAll(graph.descendants(top));
      onPath.add(top);
      Set<String> group = new TreeSet<>(remaining);
      group.retainAll(onPath);
      if (group.isEmpty()) {
        group = new TreeSet<>(remaining);
      }
      remaining.removeAll(group);
      if (group.stream().noneMatch(this::qualifies)) {
        continue; // a blip on another path: it may qualify in a later window
      }
      List<Anomaly> groupAnomalies = pending.anomaliesOf(group);
      if (!remaining.isEmpty()) {
        List<RootCause> own = rank(pending.windows(), groupAnomalies, graph, null);
        ranked = own.isEmpty() ? ranked : own;
      }
      Instant startedAt =
          groupAnomalies.stream().map(Anomaly::windowStart).min(Instant::compareTo).orElseThrow();
      Incident report =
          new Incident(
              ids.next("inc-", window.end()),
              Incident.OPEN,
              startedAt,
              window.end(),
              null,
              List.copyOf(group),
              ranked,
              groupAnomalies);
      IncidentAccumulator incident =
          new IncidentAccumulator(report, pending.windows(), MAX_CONTEXT_WINDOWS);
      open.add(incident);
      pending.remove(group);
      events.put(report.id(), report);
    }
  }

  private boolean qualifies(String service) {
    return serviceStreaks.getOrDefault(service, 0) >= minConsecutive;
  }

  /** Ranks, leaving out the top causes of the other open incidents. */
  private List<RootCause> rank(
      List<WindowFeatures> windows, List<Anomaly> anomalies, CallGraph graph, String forId) {
    Set<String> taken = new LinkedHashSet<>();
    for (IncidentAccumulator i : open) {
      if (!Objects.equals(i.id(), forId) && i.report().topCause() != null) {
        taken.add(i.report().topCause());
      }
    }
    List<RootCause> ranked =
        ranker.rank(new IncidentEvidence(windows, anomalies, graph, deviations));
    return taken.isEmpty()
        ? ranked
        : ranked.stream().filter(r -> !taken.contains(r.service())).toList();
  }

  /**
   * The state to carry over a restart (see {@link IncidentSnapshotCodec}): service streaks and the
   * open incidents. Ids stay unique after a restore: new ones still come from {@link
   * TimeOrderedIds}.
   */
  public byte[] snapshot() {
    return IncidentSnapshotCodec.write(
        new IncidentSnapshotCodec.State(
            new TreeMap<>(serviceStreaks),
            open(),
            open.stream().map(IncidentAccumulator::quiet).toList()));
  }

  /**
   * Replaces the state with a snapshot's. The open incidents keep their last ranking until new
   * windows re-rank them.
   *
   * @throws IllegalArgumentException when the bytes are not a snapshot of a known version
   */
  public void restore(byte[] snapshot) {
    IncidentSnapshotCodec.State state = IncidentSnapshotCodec.read(snapshot);
    serviceStreaks.clear();
    serviceStreaks.putAll(state.streaks());
    pending.clear();
    open.clear();
    for (int i = 0; i < state.open().size(); i++) {
      IncidentAccumulator a =
          new IncidentAccumulator(state.open().get(i), List.of(), MAX_CONTEXT_WINDOWS);
      a.quiet(state.quiet().get(i));
      open.add(a);
    }
  }

  /** The open incidents, oldest first. */
  public List<Incident> open() {
    return open.stream().map(IncidentAccumulator::report).toList();
  }

  /** The most recently opened incident that is still open, or null. */
  public Incident current() {
    return open.isEmpty() ? null : open.get(open.size() - 1).report();
  }

  /** Configures an {@link IncidentTracker}. */
  public static final class Builder {
    private final RootCauseRanker ranker;
    private final DeviationSource deviations;
    private int minConsecutive = DEFAULT_MIN_CONSECUTIVE;
    private int quietWindows = DEFAULT_QUIET_WINDOWS;
    private TimeOrderedIds ids = TimeOrderedIds.secure();

    private Builder(RootCauseRanker ranker, DeviationSource deviations) {
      this.ranker = Objects.requireNonNull(ranker, "ranker");
      this.deviations = Objects.requireNonNull(deviations, "deviations");
    }

    /** Consecutive anomalous windows of one service before an incident opens (default 2). */
    public Builder minConsecutive(int minConsecutive) {
      this.minConsecutive = minConsecutive;
      return this;
    }

    /** Windows in a row without its anomalies before an incident resolves (default 3). */
    public Builder quietWindows(int quietWindows) {
      this.quietWindows = quietWindows;
      return this;
    }

    /** Where incident ids come from (default: {@link TimeOrderedIds#secure()}). */
    public Builder ids(TimeOrderedIds ids) {
      this.ids = Objects.requireNonNull(ids, "ids");
      return this;
    }

    public IncidentTracker build() {
      return new IncidentTracker(this);
    }
  }
}

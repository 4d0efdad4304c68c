package dev.vigil.rca.offline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders the services of a recorded incident by how likely each is to be its cause. An
 * implementation only scores services; {@link #rank} turns the scores into ranked causes with their
 * evidence, the same way for every technique.
 */
public interface IncidentRanker {

  /** Non-negative scores of the candidate services, higher is more likely; absent means 0. */
  Map<String, Double> scores(IncidentData incident);

  /** A short name of the technique, e.g. {@code personalized_pagerank}. */
  String name();

  /**
   * Whether the scores are on an absolute scale (0 to 1, comparable from incident to incident), so
   * that an ensemble keeps them as they are; otherwise only their ratios mean something and an
   * ensemble divides them by their largest.
   */
  default boolean absoluteScores() {
    return false;
  }

  /**
   * Whether the scores say how the requests of a service's operations changed (rather than how its
   * series did), so that a service it ranks is ranked for its changed operation.
   */
  default boolean scoresRequests() {
    return false;
  }

  /** Candidates with a positive score, most likely first, at most {@code maxCandidates}. */
  default List<RankedCause> rank(IncidentData incident) {
    Map<String, Double> scores = scores(incident);
    return ranked(incident, scores, scoresRequests() ? scores.keySet() : Set.of());
  }

  /**
   * Ranked causes from scores: the candidates with a positive score, most likely first, at most
   * {@code maxCandidates}, each with its component and evidence.
   *
   * @param requestLed the services whose place is owed mostly to what their requests did ({@link
   *     EventPatternRanker}): their changed operation leads their evidence and is their component;
   *     for the others their strongest own series change does
   */
  static List<RankedCause> ranked(
      IncidentData incident, Map<String, Double> scores, Set<String> requestLed) {
    List<String> order = new ArrayList<>();
    scores.forEach(
        (s, v) -> {
          if (v > 0 && Double.isFinite(v)) {
            order.add(s);
          }
        });
    order.sort(Comparator.comparingDouble((String s) -> -scores.get(s)).thenComparing(s -> s));
    List<String> top = order.subList(0, Math.min(order.size(), incident.config().maxCandidates()));
    double total = top.stream().mapToDouble(scores::get).sum();
    List<RankedCause> out = new ArrayList<>();
    EvidenceBuilder evidence = new EvidenceBuilder(incident);
    for (String s : top) {
      boolean led = requestLed.contains(s);
      out.add(
          new RankedCause(
              s,
              evidence.component(s, led),
              scores.get(s) / total,
              incident.graph().pathToSymptom(s),
              evidence.of(s, led)));
    }
    return out;
  }

  /** BARO-style robust change scoring of each service's own series. */
  static IncidentRanker robustChange() {
    return new RobustChangeRanker();
  }

  /** MicroRCA-style personalized PageRank on the anomaly-weighted causal graph. */
  static IncidentRanker personalizedPageRank() {
    return new PersonalizedPageRankRanker(
        PersonalizedPageRankRanker.DEFAULT_DAMPING, PersonalizedPageRankRanker.DEFAULT_ITERATIONS);
  }

  /** Causal effect of each service on the symptom by backdoor-adjusted linear regression. */
  static IncidentRanker causalEffect() {
    return new CausalEffectRanker();
  }

  /**
   * Nezha-style change of what the requests of each operation do (log statements reached, calls and
   * local spans, error status), normal against abnormal requests of the same operation.
   */
  static IncidentRanker eventPattern() {
    return new EventPatternRanker();
  }

  /** A weighted combination of rankers, each one's scores scaled to a maximum of 1 first. */
  static IncidentRanker ensemble(Map<IncidentRanker, Double> weights) {
    return new EnsembleRanker(weights);
  }

  /**
   * The default: the ensemble of robust change, PageRank, causal effect and event patterns with
   * {@link EnsembleRanker} weights.
   */
  static IncidentRanker defaults() {
    return EnsembleRanker.defaults();
  }
}

package dev.vigil.rca.offline;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Combines rankers: each ranker's scores are divided by its largest score (unless they are on an
 * absolute scale, {@link IncidentRanker#absoluteScores()}, which are kept as they are: a weak
 * change stays weak rather than becoming the top of its ranker), then averaged with the given
 * weights over the rankers that scored anything (a ranker that cannot run, such as causal effect
 * without traces, drops out rather than dragging every score down). O(sum of the rankers).
 */
final class EnsembleRanker implements IncidentRanker {
  static final double DEFAULT_ROBUST_CHANGE_WEIGHT = 0.5;
  static final double DEFAULT_PAGERANK_WEIGHT = 0.3;
  static final double DEFAULT_CAUSAL_EFFECT_WEIGHT = 0.2;

  /**
   * The weight of what the requests do ({@link EventPatternRanker}) against how slow and how busy
   * the services are (the three rankers above, together 1): equal footing. Its scores are absolute
   * (the share of an operation's requests that surely changed), so a change of every request of an
   * operation weighs as much as being the top candidate of all three, and the small shifts of
   * parameter-dependent branches that any incident shows weigh little.
   */
  static final double DEFAULT_EVENT_PATTERN_WEIGHT = 1.0;

  private final Map<IncidentRanker, Double> weights;

  EnsembleRanker(Map<IncidentRanker, Double> weights) {
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("weights must name at least one ranker");
    }
    weights.forEach(
        (r, w) -> {
          if (!(w > 0)) {
            throw new IllegalArgumentException("the weight of " + r.name() + " must be positive");
          }
        });
    this.weights = new LinkedHashMap<>(weights);
  }

  static EnsembleRanker defaults() {
    Map<IncidentRanker, Double> w = new LinkedHashMap<>();
    w.put(IncidentRanker.robustChange(), DEFAULT_ROBUST_CHANGE_WEIGHT);
    w.put(IncidentRanker.personalizedPageRank(), DEFAULT_PAGERANK_WEIGHT);
    w.put(IncidentRanker.causalEffect(), DEFAULT_CAUSAL_EFFECT_WEIGHT);
    w.put(IncidentRanker.eventPattern(), DEFAULT_EVENT_PATTERN_WEIGHT);
    return new EnsembleRanker(w);
  }

  /**
   * How surely a service's strongest own change is more than its usual fluctuation, from its
   * calibrated score (1 = its usual deviation): {@code z^2 / (z^2 + Z^2)} with {@code Z} = {@link
   * #SURE_SCORE}, so a change at the usual deviation counts a tenth, one at {@code Z} half, one of
   * ten times {@code Z} all but fully. The relative rankers' votes are weighed by it: their top
   * candidate is the largest of the incident's changes, however small they all are.
   */
  static double confidence(double calibratedScore) {
    double z2 = calibratedScore * calibratedScore;
    return z2 / (z2 + SURE_SCORE * SURE_SCORE);
  }

  /** The calibrated score at which a change counts half (the ensemble's z-scale, 3). */
  static final double SURE_SCORE = 3;

  @Override
  public String name() {
    return "ensemble";
  }

  @Override
  public Map<String, Double> scores(IncidentData incident) {
    return combine(incident).total();
  }

  /**
   * Ranks like every ranker; a service is ranked for its changed operation when at least half of
   * its score comes from rankers that score requests ({@link IncidentRanker#scoresRequests()}).
   */
  @Override
  public List<RankedCause> rank(IncidentData incident) {
    Combined c = combine(incident);
    Set<String> requestLed = new HashSet<>();
    c.total()
        .forEach(
            (service, v) -> {
              if (v > 0 && 2 * c.fromRequests().getOrDefault(service, 0.0) >= v) {
                requestLed.add(service);
              }
            });
    return IncidentRanker.ranked(incident, c.total(), requestLed);
  }

  /** Each service's combined score, and the part of it from rankers that score requests. */
  private record Combined(Map<String, Double> total, Map<String, Double> fromRequests) {}

  private Combined combine(IncidentData incident) {
    Map<String, Double> out = new HashMap<>();
    Map<String, Double> fromRequests = new HashMap<>();
    Map<String, Double> strength = new HashMap<>();
    incident
        .ownChangesByService()
        .forEach(
            (service, changes) ->
                strength.put(
                    service, changes.stream().mapToDouble(SeriesChange::score).max().orElse(0)));
    double totalWeight = 0;
    for (Map.Entry<IncidentRanker, Double> e : weights.entrySet()) {
      IncidentRanker ranker = e.getKey();
      Map<String, Double> s = ranker.scores(incident);
      double max = s.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
      if (!(max > 0)) {
        continue;
      }
      boolean absolute = ranker.absoluteScores();
      double scale = absolute ? 1 : max;
      totalWeight += e.getValue();
      s.forEach(
          (service, v) -> {
            double part =
                e.getValue()
                    * v
                    / scale
                    * (absolute ? 1 : confidence(strength.getOrDefault(service, 0.0)));
            out.merge(service, part, Double::sum);
            if (ranker.scoresRequests()) {
              fromRequests.merge(service, part, Double::sum);
            }
          });
    }
    if (totalWeight > 0) {
      double t = totalWeight;
      out.replaceAll((k, v) -> v / t);
      fromRequests.replaceAll((k, v) -> v / t);
    }
    return new Combined(out, fromRequests);
  }
}

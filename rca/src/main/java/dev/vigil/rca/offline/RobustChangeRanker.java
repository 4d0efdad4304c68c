package dev.vigil.rca.offline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Robust change scoring in the manner of BARO (Pham, Ha and Zhang, "BARO: Robust Root Cause
 * Analysis for Microservices via Multivariate Bayesian Online Change Point Detection", FSE 2024):
 * every series is scored {@code |x - median| / IQR} against its normal window (and divided by its
 * usual deviation there, see {@link SeriesChange#score()}). A service combines its own series: for
 * each kind of evidence (resources, self time, own errors, gap of the calls into it) the strongest
 * score, and over the kinds the sum of {@code log1p} of those, so that independent kinds of
 * evidence add up while many copies of one kind (P90, P95, P99 of one latency) do not. The call
 * gaps seen by different callers are independent observations of one callee, so each further caller
 * whose gap changed clearly adds its own {@code log1p} ({@link #combine}). Inherited latency is
 * left out, so a caller that merely waits on a slow callee does not outrank it. Only {@link
 * IncidentData#candidates()} are scored. O(series), after {@link IncidentData} scored the series.
 */
final class RobustChangeRanker implements IncidentRanker {
  /**
   * Calibrated score from which a further component of a corroborating kind adds to the evidence:
   * the weak-evidence level of {@link RobustStats#DEGENERATE_SCORE}, so that the small changes of
   * many quiet edges do not add up to an anomaly.
   */
  static final double CORROBORATION_SCORE = RobustStats.DEGENERATE_SCORE;

  @Override
  public String name() {
    return "robust_change";
  }

  @Override
  public Map<String, Double> scores(IncidentData incident) {
    Set<String> candidates = incident.candidates();
    Map<String, Double> out = new HashMap<>();
    for (Map.Entry<String, List<SeriesChange>> e : incident.ownChangesByService().entrySet()) {
      if (!candidates.contains(e.getKey())) {
        continue;
      }
      double score = combine(e.getValue());
      if (score > 0) {
        out.put(e.getKey(), score);
      }
    }
    return out;
  }

  /**
   * The anomaly of one service from the changes of its own series: over the kinds of evidence, the
   * sum of {@code log1p} of each kind's strongest score, plus, for the kinds observed on distinct
   * request populations ({@link #corroborates}), {@code log1p} of every further component that
   * changed by at least {@link #CORROBORATION_SCORE}.
   */
  static double combine(Collection<SeriesChange> changes) {
    Map<SeriesKind, Map<String, Double>> byKind = new EnumMap<>(SeriesKind.class);
    for (SeriesChange c : changes) {
      if (c.key().kind().own()) {
        byKind
            .computeIfAbsent(c.key().kind(), k -> new HashMap<>())
            .merge(c.key().component(), c.score(), Math::max);
      }
    }
    double score = 0;
    for (Map.Entry<SeriesKind, Map<String, Double>> e : byKind.entrySet()) {
      List<Double> values = new ArrayList<>(e.getValue().values());
      values.sort(Comparator.reverseOrder());
      score += Math.log1p(values.get(0));
      if (corroborates(e.getKey())) {
        for (double v : values.subList(1, values.size())) {
          if (v >= CORROBORATION_SCORE) {
            score += Math.log1p(v);
          }
        }
      }
    }
    return score;
  }

  /**
   * Whether the components of a kind are independent observations of the service. The call gaps of
   * different callers are: each caller sees the callee's network on its own connections, and a
   * fault on the callee's side shows on all of them. The components of the other kinds are not
   * known to be (P90, P95 and P99 of one latency are one measurement; the operations of a service
   * share its self time whenever any of them is loaded).
   */
  static boolean corroborates(SeriesKind kind) {
    return kind == SeriesKind.CALL_GAP || kind == SeriesKind.UNREACHED_CALLS;
  }
}

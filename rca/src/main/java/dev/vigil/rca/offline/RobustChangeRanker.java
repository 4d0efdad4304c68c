package dev.vigil.rca.offline;

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
 * evidence add up while many copies of one kind (P90, P95, P99 of one latency) do not. Inherited
 * latency is left out, so a caller that merely waits on a slow callee does not outrank it. Only
 * {@link IncidentData#candidates()} are scored. O(series), after {@link IncidentData} scored the
 * series.
 */
final class RobustChangeRanker implements IncidentRanker {

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
      Map<SeriesKind, Double> strongest = new EnumMap<>(SeriesKind.class);
      for (SeriesChange c : e.getValue()) {
        strongest.merge(c.key().kind(), c.score(), Math::max);
      }
      double score = 0;
      for (double v : strongest.values()) {
        score += Math.log1p(v);
      }
      if (score > 0) {
        out.put(e.getKey(), score);
      }
    }
    return out;
  }
}

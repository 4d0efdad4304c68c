package dev.vigil.rca.offline;

import dev.vigil.rca.offline.CallPattern.OperationKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Trace-structure change: which service started doing something different with its requests, in the
 * manner of Nezha's event patterns (Yu et al., "Nezha: Interpretable Fine-Grained Root Causes
 * Analysis for Microservices on Multi-modal Observability Data", ESEC/FSE 2023) restricted to
 * spans.
 *
 * <p>For every operation of every service and every feature of its requests ({@link CallPattern}: a
 * local span such as an error handler, or a call to an operation of another service), the share of
 * requests that have the feature in the normal window is compared with the share in the abnormal
 * window by a two-proportion z-test. A code fault shows here when latency does not move: a method
 * that returns early drops the calls after it, an exception adds an error handler and drops the
 * rest. The change of an operation is its largest |z|; operations whose change stays below {@link
 * #Z_THRESHOLD} are unchanged. A changed operation that calls a changed operation of another
 * service only relays the change (a caller that gets an error back also takes its error path), so
 * the change is credited to the deepest changed operations; a service scores the largest change of
 * its own such operations, as {@code log1p(z / Z_THRESHOLD)}.
 *
 * <p>The windows follow {@link AnalysisConfig}: the abnormal window starts {@link
 * AnalysisConfig#onsetTolerance()} before the incident time, and the normal window ends there. Only
 * operations with at least {@link #MIN_NORMAL_REQUESTS} normal and {@link #MIN_ABNORMAL_REQUESTS}
 * abnormal requests are tested. O(requests x features).
 */
final class CallStructureRanker implements IncidentRanker {
  /** |z| from which a change of a feature's share counts (about p < 0.003 two-sided). */
  static final double Z_THRESHOLD = 3.0;

  static final int MIN_NORMAL_REQUESTS = 5;
  static final int MIN_ABNORMAL_REQUESTS = 3;

  @Override
  public String name() {
    return "call_structure";
  }

  @Override
  public Map<String, Double> scores(IncidentData incident) {
    Map<OperationKey, Double> changed = changedOperations(incident);
    Map<OperationKey, Set<OperationKey>> callees = abnormalCallees(incident);
    Set<String> candidates = incident.candidates();
    Map<String, Double> out = new HashMap<>();
    changed.forEach(
        (op, z) -> {
          boolean relayed = false;
          for (OperationKey c : callees.getOrDefault(op, Set.of())) {
            if (!c.service().equals(op.service()) && changed.containsKey(c)) {
              relayed = true;
              break;
            }
          }
          if (!relayed && candidates.contains(op.service())) {
            out.merge(op.service(), Math.log1p(z / Z_THRESHOLD), Math::max);
          }
        });
    return out;
  }

  /** The operations whose request structure changed, with their largest |z|. */
  static Map<OperationKey, Double> changedOperations(IncidentData incident) {
    Map<OperationKey, Counts> counts = new HashMap<>();
    long onset = onset(incident);
    for (CallPattern p : incident.index().callPatterns()) {
      int window = window(p.startMillis(), onset, incident);
      if (window >= 0) {
        counts.computeIfAbsent(p.key(), k -> new Counts()).add(window, p.features());
      }
    }
    Map<OperationKey, Double> out = new HashMap<>();
    counts.forEach(
        (op, c) -> {
          double z = c.largestChange();
          if (z >= Z_THRESHOLD) {
            out.put(op, z);
          }
        });
    return out;
  }

  private static Map<OperationKey, Set<OperationKey>> abnormalCallees(IncidentData incident) {
    Map<OperationKey, Set<OperationKey>> out = new HashMap<>();
    long onset = onset(incident);
    for (CallPattern p : incident.index().callPatterns()) {
      if (window(p.startMillis(), onset, incident) == 1) {
        out.computeIfAbsent(p.key(), k -> new HashSet<>()).addAll(p.callees());
      }
    }
    return out;
  }

  private static long onset(IncidentData incident) {
    return incident.incidentMillis() - incident.config().onsetTolerance().toMillis();
  }

  /** 0 normal, 1 abnormal, -1 neither. */
  private static int window(long t, long onset, IncidentData incident) {
    if (t >= incident.normalFromMillis() && t < onset) {
      return 0;
    }
    return t >= onset && t < incident.abnormalToMillis() ? 1 : -1;
  }

  /** Mutable per-operation request and feature counts of the two windows. */
  private static final class Counts {
    final long[] requests = new long[2];
    final Map<String, long[]> features = new HashMap<>();

    void add(int window, Set<String> present) {
      requests[window]++;
      for (String f : present) {
        features.computeIfAbsent(f, k -> new long[2])[window]++;
      }
    }

    double largestChange() {
      long n0 = requests[0];
      long n1 = requests[1];
      if (n0 < MIN_NORMAL_REQUESTS || n1 < MIN_ABNORMAL_REQUESTS) {
        return 0;
      }
      double best = 0;
      for (long[] k : features.values()) {
        best = Math.max(best, twoProportionZ(k[0], n0, k[1], n1));
      }
      return best;
    }
  }

  /**
   * |z| of the difference of two proportions with the pooled standard error; the pooled share is
   * kept off 0 and 1 by half a request so that a feature that appears or vanishes entirely still
   * has a finite z.
   */
  static double twoProportionZ(long k0, long n0, long k1, long n1) {
    double p0 = (double) k0 / n0;
    double p1 = (double) k1 / n1;
    double pooled = (k0 + k1 + 0.5) / (n0 + n1 + 1.0);
    double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n0 + 1.0 / n1));
    return Math.abs(p1 - p0) / se;
  }
}

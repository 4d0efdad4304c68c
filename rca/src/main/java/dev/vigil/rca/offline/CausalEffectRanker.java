package dev.vigil.rca.offline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Causal effect estimation by backdoor adjustment with linear regression, as DoWhy's {@code
 * backdoor.linear_regression} estimator (Sharma and Kiciman, "DoWhy: An End-to-End Library for
 * Causal Inference", 2020).
 *
 * <p>The symptom is the latency of the entry services (where users feel the incident), per bin, in
 * robust units of its normal window. The treatment of a candidate service is its own change per bin
 * (the largest robust score of its own series). In the causal graph the parents of a candidate are
 * its callees (and its resources, already part of its treatment); they confound the candidate and
 * the symptom, so the backdoor criterion is met by adjusting for them: regress the symptom on the
 * candidate's treatment and its {@link #MAX_ADJUSTMENT} most anomalous callees' treatments. The
 * coefficient is the effect of one unit of change; the score is the effect of the change seen, the
 * coefficient times the rise of the treatment from the normal to the abnormal window. Ridge
 * regularisation keeps small samples stable. O(services x bins x k^2) for k regressors.
 */
final class CausalEffectRanker implements IncidentRanker {
  static final int MAX_ADJUSTMENT = 5;
  static final double RIDGE = 1e-3;

  @Override
  public String name() {
    return "causal_effect";
  }

  @Override
  public Map<String, Double> scores(IncidentData incident) {
    CausalGraph g = incident.graph();
    List<String> entries = g.entryServices();
    if (entries.isEmpty()) {
      return Map.of();
    }
    long bin = incident.index().binMillis();
    long from =
        Math.floorDiv(Math.max(incident.normalFromMillis(), incident.index().firstMillis()), bin)
            * bin;
    long to = Math.min(incident.abnormalToMillis(), incident.index().lastMillis() + bin);
    int bins = (int) Math.min(100_000, (to - from) / bin);
    if (bins < 4) {
      return Map.of();
    }
    double[] symptom = symptom(incident, entries, from, bin, bins);
    Map<String, double[]> treatment = new HashMap<>();
    Set<String> candidates = incident.candidates();
    for (Map.Entry<String, List<SeriesChange>> e : incident.ownChangesByService().entrySet()) {
      if (!candidates.contains(e.getKey())) {
        continue;
      }
      treatment.put(e.getKey(), treatment(e.getValue(), from, bin, bins));
    }
    int firstAbnormal = (int) ((incident.incidentMillis() - from) / bin);
    Map<String, Double> out = new HashMap<>();
    for (Map.Entry<String, double[]> e : treatment.entrySet()) {
      String service = e.getKey();
      List<double[]> adjust = new ArrayList<>();
      List<String> callees = new ArrayList<>(g.callees(service));
      callees.sort(
          Comparator.comparingDouble((String c) -> -g.anomaly(new CausalGraph.Node(c, false))));
      for (String c : callees) {
        if (adjust.size() < MAX_ADJUSTMENT && treatment.containsKey(c)) {
          adjust.add(treatment.get(c));
        }
      }
      double effect = effect(symptom, e.getValue(), adjust);
      double rise = mean(e.getValue(), firstAbnormal, bins) - mean(e.getValue(), 0, firstAbnormal);
      double score = Math.max(0, effect) * Math.max(0, rise);
      if (score > 0 && Double.isFinite(score)) {
        out.put(service, score);
      }
    }
    return out;
  }

  /** Mean robust latency score of the entry services per bin; NaN where none was observed. */
  private static double[] symptom(
      IncidentData incident, List<String> entries, long from, long bin, int bins) {
    double[] sum = new double[bins];
    int[] count = new int[bins];
    for (SeriesChange c : incident.changes()) {
      SeriesKey k = c.key();
      if (k.kind() != SeriesKind.LATENCY || !entries.contains(k.service())) {
        continue;
      }
      if (!Double.isFinite(c.spread()) || Double.isNaN(c.before())) {
        continue;
      }
      Series s = c.series();
      for (int i = 0; i < s.size(); i++) {
        int b = (int) Math.floorDiv(s.time(i) - from, bin);
        if (b >= 0 && b < bins && !Double.isNaN(s.value(i))) {
          sum[b] += (s.value(i) - c.before()) / c.spread();
          count[b]++;
        }
      }
    }
    double[] y = new double[bins];
    for (int b = 0; b < bins; b++) {
      y[b] = count[b] == 0 ? Double.NaN : sum[b] / count[b];
    }
    return y;
  }

  /** A service's own change per bin: the largest robust score of its own series there. */
  private static double[] treatment(List<SeriesChange> changes, long from, long bin, int bins) {
    double[] t = new double[bins];
    for (SeriesChange c : changes) {
      if (!Double.isFinite(c.spread())) {
        continue;
      }
      Series s = c.series();
      long maxAge = s.key().kind().metric() ? maxAge(s, bin) : bin - 1;
      for (int b = 0; b < bins; b++) {
        double v = s.valueAt(from + (long) b * bin + bin - 1, maxAge);
        t[b] = Math.max(t[b], c.scoreOf(v));
      }
    }
    return t;
  }

  /** How long a metric value stands for: one and a half of its median sampling interval. */
  private static long maxAge(Series s, long bin) {
    if (s.size() < 2) {
      return bin;
    }
    long[] gaps = new long[s.size() - 1];
    for (int i = 1; i < s.size(); i++) {
      gaps[i - 1] = s.time(i) - s.time(i - 1);
    }
    java.util.Arrays.sort(gaps);
    return Math.max(bin, gaps[gaps.length / 2] * 3 / 2);
  }

  /** The coefficient of {@code x} in a ridge regression of y on x and the adjustment set. */
  static double effect(double[] y, double[] x, List<double[]> adjust) {
    int k = 2 + adjust.size();
    int rows = 0;
    double[][] xtx = new double[k][k];
    double[] xty = new double[k];
    double[] row = new double[k];
    for (int b = 0; b < y.length; b++) {
      if (Double.isNaN(y[b])) {
        continue;
      }
      row[0] = 1;
      row[1] = x[b];
      for (int j = 0; j < adjust.size(); j++) {
        row[2 + j] = adjust.get(j)[b];
      }
      for (int i = 0; i < k; i++) {
        xty[i] += row[i] * y[b];
        for (int j = 0; j < k; j++) {
          xtx[i][j] += row[i] * row[j];
        }
      }
      rows++;
    }
    if (rows < k + 2) {
      return 0;
    }
    for (int i = 1; i < k; i++) {
      xtx[i][i] += RIDGE * rows;
    }
    double[] beta = solve(xtx, xty);
    return beta == null ? 0 : beta[1];
  }

  /** Gaussian elimination with partial pivoting; null when singular. */
  static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    double[][] m = new double[n][];
    for (int i = 0; i < n; i++) {
      m[i] = java.util.Arrays.copyOf(a[i], n + 1);
      m[i][n] = b[i];
    }
    for (int c = 0; c < n; c++) {
      int p = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
          p = r;
        }
      }
      if (Math.abs(m[p][c]) < 1e-12) {
        return null;
      }
      double[] tmp = m[c];
      m[c] = m[p];
      m[p] = tmp;
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double f = m[r][c] / m[c][c];
          for (int j = c; j <= n; j++) {
            m[r][j] -= f * m[c][j];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = m[i][n] / m[i][i];
    }
    return x;
  }

  private static double mean(double[] v, int from, int to) {
    double s = 0;
    int n = 0;
    for (int i = Math.max(0, from); i < Math.min(v.length, to); i++) {
      s += v[i];
      n++;
    }
    return n == 0 ? 0 : s / n;
  }
}

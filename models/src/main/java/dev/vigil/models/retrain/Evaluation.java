package dev.vigil.models.retrain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one model did on a service's evaluation set (held-out windows as {@code EXPECTED}, their
 * fault-injected copies as {@code ANOMALOUS}), as Tribuo's {@code AnomalyEvaluator} counts it.
 *
 * @param model the model, e.g. {@code one_class_svm} or {@code isolation_forest v2 (in use)}
 * @param precision precision of its alarms
 * @param recall share of injected faults it flagged
 * @param f1 their harmonic mean, the figure candidates are ranked by
 * @param falseAlarmRate share of normal held-out windows it flagged
 * @param normalWindows held-out normal windows
 * @param faultWindows injected fault windows
 */
public record Evaluation(
    String model,
    double precision,
    double recall,
    double f1,
    double falseAlarmRate,
    long normalWindows,
    long faultWindows) {

  /** The figures by name, for the registry. */
  public Map<String, Double> asMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("precision", precision);
    m.put("recall", recall);
    m.put("f1", f1);
    m.put("falseAlarmRate", falseAlarmRate);
    m.put("normalWindows", (double) normalWindows);
    m.put("faultWindows", (double) faultWindows);
    return m;
  }

  /** Whether this one is better than {@code other} by at least {@code margin} of F1. */
  boolean beats(Evaluation other, double margin) {
    if (f1 >= other.f1 + margin && f1 > other.f1) {
      return true;
    }
    return f1 >= other.f1 && falseAlarmRate < other.falseAlarmRate;
  }
}

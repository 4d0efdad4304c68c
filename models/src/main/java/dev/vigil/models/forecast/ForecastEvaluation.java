package dev.vigil.models.forecast;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a forecaster did on the held-out tail of a history, behind the same {@link PredictiveAlerter}
 * and rule as in the service ({@link ForecastEvaluator}).
 *
 * @param model the forecaster, e.g. {@code candidate} or {@code lstm_increment_forecaster v2}
 * @param series series evaluated
 * @param windows fault-free tail windows observed
 * @param mae mean absolute forecast error over the horizon, in units of each history's noise
 * @param naiveMae the same for the last value carried forward, for reference
 * @param ramps ramps injected into copies of the tails
 * @param rampsAlerted ramps alerted before they crossed the alert level
 * @param meanLeadWindows mean windows from the alert to the crossing, over the alerted ramps
 * @param falseAlerts predictive alerts on the fault-free tails
 */
public record ForecastEvaluation(
    String model,
    int series,
    long windows,
    double mae,
    double naiveMae,
    int ramps,
    int rampsAlerted,
    double meanLeadWindows,
    int falseAlerts) {

  /** Share of the injected ramps alerted ahead of their crossing. */
  public double recall() {
    return ramps == 0 ? 0 : (double) rampsAlerted / ramps;
  }

  /** False predictive alerts per hour of fault-free windows of {@code windowSeconds}. */
  public double falseAlertsPerHour(double windowSeconds) {
    return windows == 0 ? 0 : falseAlerts * 3600.0 / (windows * windowSeconds);
  }

  /**
   * Whether this forecaster should replace {@code other}: it alerts at least as many ramps and
   * raises no more false alerts, and is strictly better in one of the two, or ties both with a
   * forecast error at least 2 % lower.
   */
  public boolean beats(ForecastEvaluation other) {
    if (rampsAlerted * other.ramps < other.rampsAlerted * ramps
        || falseAlerts > other.falseAlerts) {
      return false;
    }
    if (recall() > other.recall() || falseAlerts < other.falseAlerts) {
      return true;
    }
    return mae < 0.98 * other.mae;
  }

  /** The figures by name, for the registry. */
  public Map<String, Double> asMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("series", (double) series);
    m.put("windows", (double) windows);
    m.put("mae", mae);
    m.put("naiveMae", naiveMae);
    m.put("ramps", (double) ramps);
    m.put("rampRecall", recall());
    m.put("meanLeadWindows", meanLeadWindows);
    m.put("falseAlerts", (double) falseAlerts);
    return m;
  }
}

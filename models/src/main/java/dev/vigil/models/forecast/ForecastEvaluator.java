package dev.vigil.models.forecast;

import dev.vigil.models.MonitorConfig;
import dev.vigil.models.RobustBaseline;
import dev.vigil.models.ServiceAnomalyMonitor;
import dev.vigil.models.ServiceFeatureSchema.Feature;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Evaluates a forecaster on the held-out tails of a history's series the way the service uses it:
 * each series goes through a {@link PredictiveAlerter} (the same rule) against the alert level the
 * threshold detector would use ({@link ServiceAnomalyMonitor#latencyAlertLevel}, from a rolling
 * baseline of the series that, like the monitor's, stops learning while the series is at or above
 * its level). Three figures:
 *
 * <ul>
 *   <li>false predictive alerts on the fault-free tail (at most {@code maxWindows} windows a
 *       series);
 *   <li>recall and lead time on ramps injected into copies of the tail: from the tail's first
 *       window the series climbs linearly so that it would reach its level after {@code horizon}
 *       and after 3 x {@code horizon} windows (a fast and a slow leak); a ramp counts when its
 *       predictive alert comes before the series has been at or above the level in two consecutive
 *       windows (when a threshold alert would fire);
 *   <li>the mean absolute forecast error over the horizon, every {@code horizon / 3} windows of the
 *       fault-free tail, in units of the history's noise, beside the last value carried forward.
 * </ul>
 *
 * Cost: one forecast per window a series observes while its rule's trend test passes, at most
 * {@code maxWindows + 4 x horizon} windows a series.
 */
public final class ForecastEvaluator {
  /**
   * Consecutive windows at or above the level that make a threshold alert (the alert lifecycle's
   * default pending windows): a ramp has crossed at the first of them, not at one noisy window.
   */
  static final int THRESHOLD_WINDOWS = 2;

  private final int horizon;
  private final Feature feature;
  private final PredictiveRule rule;
  private final MonitorConfig monitor;
  private final int maxWindows;

  /**
   * @param horizon windows ahead forecast (the service's {@code predictive.horizon})
   * @param feature the feature the series are of
   * @param rule the predictive alerts' rule
   * @param monitor the threshold detector's configuration (alert levels)
   * @param maxWindows fault-free tail windows observed per series at most
   */
  public ForecastEvaluator(
      int horizon, Feature feature, PredictiveRule rule, MonitorConfig monitor, int maxWindows) {
    if (horizon < 1 || maxWindows < 1) {
      throw new IllegalArgumentException("horizon and maxWindows must be at least 1");
    }
    this.horizon = horizon;
    this.feature = feature;
    this.rule = rule;
    this.monitor = monitor;
    this.maxWindows = maxWindows;
  }

  /**
   * @param model a name for the figures
   * @param series values per window by service, all on one timeline ({@code NaN}: no value)
   * @param split index of the first held-out window
   * @param start the end of the timeline's first window
   * @param step the window size
   */
  public ForecastEvaluation evaluate(
      String model,
      Forecaster forecaster,
      Map<String, double[]> series,
      int split,
      Instant start,
      Duration step) {
    int warm = Math.max(forecaster.sequenceLength(), monitor.baselineWindows());
    int used = 0;
    long windows = 0;
    int falseAlerts = 0;
    int ramps = 0;
    int alerted = 0;
    long lead = 0;
    double err = 0;
    double naive = 0;
    long forecasts = 0;
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      double[] v = e.getValue();
      int from = Math.max(0, split - warm);
      int end = Math.min(v.length, split + maxWindows);
      if (split - from < forecaster.sequenceLength() || end - split < horizon) {
        continue;
      }
      used++;
      // Fault-free tail: false alerts and forecast error.
      Run run = new Run(e.getKey(), forecaster);
      for (int i = from; i < end; i++) {
        boolean alert = run.observe(start, step, i, v[i]);
        if (i >= split) {
          windows++;
          falseAlerts += alert ? 1 : 0;
          if ((i - split) % Math.max(1, horizon / 3) == 0 && i + horizon < v.length) {
            double[] h =
                java.util.Arrays.copyOfRange(v, i - forecaster.sequenceLength() + 1, i + 1);
            double[] future = java.util.Arrays.copyOfRange(v, i + 1, i + 1 + horizon);
            if (allFinite(h) && allFinite(future)) {
              double noise = Math.max(PredictiveRule.noise(h), 1e-9 * Math.abs(h[h.length - 1]));
              if (noise > 0) {
                double[] f = forecaster.forecast(h, horizon);
                for (int k = 0; k < horizon; k++) {
                  err += Math.abs(f[k] - future[k]) / noise / horizon;
                  naive += Math.abs(h[h.length - 1] - future[k]) / noise / horizon;
                }
                forecasts++;
              }
            }
          }
        }
      }
      // Ramps into copies of the tail.
      for (int windowsToLevel : List.of(horizon, 3 * horizon)) {
        if (split + windowsToLevel + horizon > v.length) {
          continue;
        }
        Run r = new Run(e.getKey(), forecaster);
        for (int i = from; i < split; i++) {
          r.observe(start, step, i, v[i]);
        }
        OptionalDouble level = r.level();
        if (level.isEmpty()) {
          continue;
        }
        double slope = (level.getAsDouble() - r.median()) / windowsToLevel;
        ramps++;
        int above = 0;
        for (int i = split; i < split + windowsToLevel + horizon; i++) {
          double x = v[i] + slope * (i - split + 1);
          OptionalDouble now = r.level();
          above = Double.isFinite(x) && now.isPresent() && x >= now.getAsDouble() ? above + 1 : 0;
          if (above == THRESHOLD_WINDOWS) {
            int crossing = i - THRESHOLD_WINDOWS + 1;
            if (r.firstAlert >= 0 && r.firstAlert < crossing) {
              alerted++;
              lead += crossing - r.firstAlert;
            }
            break;
          }
          if (r.observe(start, step, i, x) && r.firstAlert < 0) {
            r.firstAlert = i;
          }
        }
      }
    }
    return new ForecastEvaluation(
        model,
        used,
        windows,
        forecasts == 0 ? Double.NaN : err / forecasts,
        forecasts == 0 ? Double.NaN : naive / forecasts,
        ramps,
        alerted,
        alerted == 0 ? 0 : (double) lead / alerted,
        falseAlerts);
  }

  private static boolean allFinite(double[] v) {
    for (double x : v) {
      if (!Double.isFinite(x)) {
        return false;
      }
    }
    return true;
  }

  /** One series through an alerter, with the threshold detector's rolling baseline. */
  private final class Run {
    private final String service;
    private final PredictiveAlerter alerter;
    private final RobustBaseline baseline = new RobustBaseline(monitor.baselineWindows());
    private int firstAlert = -1;

    Run(String service, Forecaster forecaster) {
      this.service = service;
      this.alerter = new PredictiveAlerter(forecaster, horizon, List.of(feature), rule);
    }

    OptionalDouble level() {
      return baseline.size() < monitor.minBaselineWindows()
          ? OptionalDouble.empty()
          : OptionalDouble.of(ServiceAnomalyMonitor.latencyAlertLevel(baseline, monitor));
    }

    double median() {
      return baseline.median();
    }

    /** Observes window {@code i}; whether it raised a predictive alert. */
    boolean observe(Instant start, Duration step, int i, double x) {
      if (!Double.isFinite(x)) {
        return false;
      }
      OptionalDouble level = level();
      Optional<PredictiveAlert> a =
          alerter.observe(service, feature, start.plus(step.multipliedBy(i)), step, x, level);
      if (level.isEmpty() || x < level.getAsDouble()) {
        baseline.add(x);
      }
      return a.isPresent();
    }
  }
}

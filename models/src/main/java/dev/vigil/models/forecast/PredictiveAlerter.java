package dev.vigil.models.forecast;

import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.WindowFeatures;
import dev.vigil.models.ServiceAnomalyMonitor;
import dev.vigil.models.ServiceFeatureSchema.Feature;
import dev.vigil.models.internal.MannKendall;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.BiFunction;

/**
 * Predictive alerts: once per closed window, each service's key latency series is forecast {@code
 * horizon} windows ahead, and a {@link PredictiveAlert} is raised when the forecast reaches the
 * level at which the threshold alert would fire ({@link ServiceAnomalyMonitor#alertLevel}) while
 * the series is still below it, with the expected time of crossing, as its {@link PredictiveRule}
 * allows (a margin over the series' noise, a significant rise, consecutive windows). One alert per
 * series and episode: it is raised again only after the rule has stopped holding ({@link
 * #expecting} tells whether a series' episode is still on).
 *
 * <p>The forecaster can be replaced while running ({@link #use}, e.g. by a newly trained one); the
 * histories are kept. Cost per window: one forecast per series (for the LSTM, O(history x
 * hidden^2)). Not thread-safe: call from the pipeline thread.
 */
public final class PredictiveAlerter {
  /** Windows ahead that are forecast (five minutes of ten-second windows). */
  public static final int DEFAULT_HORIZON = 30;

  /** Values kept per series before any forecaster says how many it reads. */
  static final int MIN_HISTORY = 2;

  private Forecaster forecaster;
  private final int horizon;
  private final List<Feature> series;
  private final Map<String, double[]> history = new HashMap<>();
  private final Map<String, Integer> filled = new HashMap<>();
  private final Map<String, Boolean> raised = new HashMap<>();
  private final Map<String, Integer> streak = new HashMap<>();
  private final PredictiveRule rule;
  private int historyLength = MIN_HISTORY;

  /**
   * @param forecaster a trained forecaster, or null to keep histories until one is given
   * @param horizon windows ahead to forecast
   * @param series the latency features watched, e.g. {@code P95_LATENCY}
   */
  public PredictiveAlerter(Forecaster forecaster, int horizon, List<Feature> series) {
    this(forecaster, horizon, series, PredictiveRule.DEFAULT);
  }

  /**
   * @param forecaster a trained forecaster, or null to keep histories until one is given
   * @param horizon windows ahead to forecast
   * @param series the latency features watched, e.g. {@code P95_LATENCY}
   * @param rule when a forecast crossing becomes an alert
   */
  public PredictiveAlerter(
      Forecaster forecaster, int horizon, List<Feature> series, PredictiveRule rule) {
    this.rule = java.util.Objects.requireNonNull(rule, "rule");
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be at least 1, got " + horizon);
    }
    if (series.isEmpty() || !series.stream().allMatch(Feature::isLatency)) {
      throw new IllegalArgumentException("series must be latency features, got " + series);
    }
    this.horizon = horizon;
    this.series = List.copyOf(series);
    if (forecaster != null) {
      use(forecaster);
    }
  }

  /** Watches every service's p95 latency {@link #DEFAULT_HORIZON} windows ahead. */
  public static PredictiveAlerter p95(Forecaster forecaster) {
    return new PredictiveAlerter(forecaster, DEFAULT_HORIZON, List.of(Feature.P95_LATENCY));
  }

  /**
   * Forecasts with {@code next} from now on, keeping the histories (a longer history is filled as
   * windows come).
   *
   * @throws IllegalArgumentException when it cannot forecast this alerter's horizon
   */
  public void use(Forecaster next) {
    Objects.requireNonNull(next, "forecaster");
    if (next.maxHorizon() < horizon) {
      throw new IllegalArgumentException(
          "the forecaster forecasts at most "
              + next.maxHorizon()
              + " windows ahead, the horizon is "
              + horizon);
    }
    int length = Math.max(next.sequenceLength(), MIN_HISTORY);
    if (length > historyLength) {
      for (Map.Entry<String, double[]> e : history.entrySet()) {
        double[] old = e.getValue();
        double[] grown = new double[length];
        System.arraycopy(old, 0, grown, length - old.length, old.length);
        e.setValue(grown);
      }
      historyLength = length;
    }
    this.forecaster = next;
  }

  /** Whether a forecaster is in use. */
  public boolean ready() {
    return forecaster != null;
  }

  public int horizon() {
    return horizon;
  }

  /** The watched features. */
  public List<Feature> series() {
    return series;
  }

  /**
   * Whether the series' forecast (or the series itself) was at or above its level at the last
   * window: the episode of its last predictive alert is still on.
   */
  public boolean expecting(String service, Feature feature) {
    return expecting(key(service, feature));
  }

  /** As {@link #expecting(String, Feature)}, by the series name of its alerts. */
  public boolean expecting(String series) {
    return raised.getOrDefault(series, false);
  }

  /** Observes a closed window; the alert levels come from the monitor's baselines. */
  public List<PredictiveAlert> observe(WindowFeatures window, ServiceAnomalyMonitor monitor) {
    return observe(window, monitor::alertLevel);
  }

  /**
   * Observes a closed window.
   *
   * @param levels the alert level of a service's feature, empty while unknown
   */
  public List<PredictiveAlert> observe(
      WindowFeatures window, BiFunction<String, Feature, OptionalDouble> levels) {
    List<PredictiveAlert> out = new ArrayList<>();
    Duration step = window.size();
    for (ServiceFeatures f : window.services().values()) {
      for (Feature feature : series) {
        observe(
                f.service(),
                feature,
                window.end(),
                step,
                feature.read(f, step),
                levels.apply(f.service(), feature))
            .ifPresent(out::add);
      }
    }
    return out;
  }

  /**
   * Observes one value of one series.
   *
   * @param end the end of the window the value belongs to
   * @param step the window size
   * @param level the alert level, empty while unknown
   */
  public Optional<PredictiveAlert> observe(
      String service,
      Feature feature,
      Instant end,
      Duration step,
      double value,
      OptionalDouble level) {
    if (!Double.isFinite(value)) {
      return Optional.empty();
    }
    String key = key(service, feature);
    double[] h = history.computeIfAbsent(key, k -> new double[historyLength]);
    System.arraycopy(h, 1, h, 0, h.length - 1);
    h[h.length - 1] = value;
    int n = filled.merge(key, 1, (a, b) -> Math.min(historyLength, a + b));
    if (forecaster == null || n < forecaster.sequenceLength() || level.isEmpty()) {
      return Optional.empty();
    }
    if (value >= level.getAsDouble()) {
      // At the level: the threshold alert's business. One noisy window there neither starts nor
      // ends a run of crossing forecasts (on a noisy ramp spikes reach the level first).
      raised.put(key, true);
      return Optional.empty();
    }
    Optional<PredictiveAlert> a = crossing(key, h, end, step, level.getAsDouble());
    raised.put(key, a.isPresent());
    int s = a.isPresent() ? streak.merge(key, 1, Integer::sum) : 0;
    streak.put(key, s);
    return s == rule.confirmations() ? a : Optional.empty();
  }

  /** The forecast crossing of the level the rule accepts, if any. */
  private Optional<PredictiveAlert> crossing(
      String key, double[] h, Instant end, Duration step, double level) {
    double[] recent =
        java.util.Arrays.copyOfRange(h, h.length - forecaster.sequenceLength(), h.length);
    if (rule.trendZ() > 0 && MannKendall.z(recent) < rule.trendZ()) {
      return Optional.empty();
    }
    double[] f = forecaster.forecast(h.clone(), horizon);
    double bar = level + rule.margin() * PredictiveRule.noise(recent);
    int first = -1;
    for (int k = 0; k < f.length; k++) {
      if (first < 0 && f[k] >= level) {
        first = k;
      }
      if (f[k] >= bar) {
        return Optional.of(
            new PredictiveAlert(
                key, level, end.plus(step.multipliedBy(first + 1L)), first + 1, f[first]));
      }
    }
    return Optional.empty();
  }

  /** The rule alerts are raised by. */
  public PredictiveRule rule() {
    return rule;
  }

  private static String key(String service, Feature feature) {
    return service + "/" + feature.id();
  }
}

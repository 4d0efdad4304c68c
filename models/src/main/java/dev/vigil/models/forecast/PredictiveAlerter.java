package dev.vigil.models.forecast;

import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.WindowFeatures;
import dev.vigil.models.ServiceAnomalyMonitor;
import dev.vigil.models.ServiceFeatureSchema.Feature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.BiFunction;

/**
 * Predictive alerts: once per closed window, each service's key latency series is forecast {@code
 * horizon} windows ahead, and a {@link PredictiveAlert} is raised when the forecast reaches the
 * level at which the threshold alert would fire ({@link ServiceAnomalyMonitor#alertLevel}) while
 * the series is still below it, with the expected time of crossing. One alert per series and
 * episode: it is raised again only after the forecast has dropped back below the level.
 *
 * <p>Cost per window: one forecast of {@code horizon} steps per series (for the LSTM, O((history +
 * horizon) x hidden^2)). Not thread-safe: call from the pipeline thread.
 */
public final class PredictiveAlerter {
  /** Windows ahead that are forecast (five minutes of ten-second windows). */
  public static final int DEFAULT_HORIZON = 30;

  private final Forecaster forecaster;
  private final int horizon;
  private final int historyLength;
  private final List<Feature> series;
  private final Map<String, double[]> history = new HashMap<>();
  private final Map<String, Integer> filled = new HashMap<>();
  private final Map<String, Boolean> raised = new HashMap<>();

  /**
   * @param forecaster a trained forecaster
   * @param horizon windows ahead to forecast
   * @param series the latency features watched, e.g. {@code P95_LATENCY}
   */
  public PredictiveAlerter(Forecaster forecaster, int horizon, List<Feature> series) {
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be at least 1");
    }
    if (series.isEmpty() || !series.stream().allMatch(Feature::isLatency)) {
      throw new IllegalArgumentException("series must be latency features, got " + series);
    }
    this.forecaster = forecaster;
    this.horizon = horizon;
    this.historyLength = Math.max(forecaster.sequenceLength(), 2);
    this.series = List.copyOf(series);
  }

  /** Watches every service's p95 latency {@link #DEFAULT_HORIZON} windows ahead. */
  public static PredictiveAlerter p95(Forecaster forecaster) {
    return new PredictiveAlerter(forecaster, DEFAULT_HORIZON, List.of(Feature.P95_LATENCY));
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
    if (Double.isNaN(value)) {
      return Optional.empty();
    }
    String key = service + "/" + feature.id();
    double[] h = history.computeIfAbsent(key, k -> new double[historyLength]);
    System.arraycopy(h, 1, h, 0, h.length - 1);
    h[h.length - 1] = value;
    int n = filled.merge(key, 1, (a, b) -> Math.min(historyLength, a + b));
    if (n < historyLength || level.isEmpty()) {
      return Optional.empty();
    }
    if (value >= level.getAsDouble()) {
      raised.put(key, true); // already crossing: the threshold alert's business
      return Optional.empty();
    }
    Optional<PredictiveAlert> a =
        forecaster.predictCrossing(key, h.clone(), end, step, level.getAsDouble(), horizon);
    boolean before = raised.getOrDefault(key, false);
    raised.put(key, a.isPresent());
    return before ? Optional.empty() : a;
  }
}

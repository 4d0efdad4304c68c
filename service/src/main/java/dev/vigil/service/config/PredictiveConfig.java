package dev.vigil.service.config;

import dev.vigil.models.ServiceFeatureSchema.Feature;
import dev.vigil.models.forecast.PredictiveRule;
import java.util.List;

/**
 * The predictive alerts' settings ({@code predictive.*}).
 *
 * @param horizonWindows windows ahead that are forecast
 * @param series the latency features forecast
 * @param rule when a forecast crossing alerts
 */
public record PredictiveConfig(int horizonWindows, List<Feature> series, PredictiveRule rule) {
  public PredictiveConfig {
    series = List.copyOf(series);
  }

  /** With the default rule. */
  public PredictiveConfig(int horizonWindows, List<Feature> series) {
    this(horizonWindows, series, PredictiveRule.DEFAULT);
  }
}

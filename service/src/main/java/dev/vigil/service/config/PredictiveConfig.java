package dev.vigil.service.config;

import dev.vigil.models.ServiceFeatureSchema.Feature;
import java.util.List;

/**
 * The predictive alerts' settings ({@code predictive.*}).
 *
 * @param horizonWindows windows ahead that are forecast
 * @param series the latency features forecast
 */
public record PredictiveConfig(int horizonWindows, List<Feature> series) {
  public PredictiveConfig {
    series = List.copyOf(series);
  }
}

package dev.vigil.service.config;

import dev.vigil.models.ServiceFeatureSchema.Feature;
import dev.vigil.models.forecast.PredictiveRule;
import dev.vigil.models.lstm.LstmIncrementConfig;
import java.util.List;

/**
 * The predictive alerts' settings ({@code predictive.*}).
 *
 * @param horizonWindows windows ahead that are forecast
 * @param series the latency features forecast
 * @param rule when a forecast crossing alerts
 * @param trainingSequences sequences each epoch of the forecaster's training draws at most
 */
public record PredictiveConfig(
    int horizonWindows, List<Feature> series, PredictiveRule rule, int trainingSequences) {
  public PredictiveConfig {
    series = List.copyOf(series);
  }

  /** With the default training bound. */
  public PredictiveConfig(int horizonWindows, List<Feature> series, PredictiveRule rule) {
    this(horizonWindows, series, rule, LstmIncrementConfig.DEFAULT_MAX_SEQUENCES_PER_EPOCH);
  }

  /** With the default rule and training bound. */
  public PredictiveConfig(int horizonWindows, List<Feature> series) {
    this(horizonWindows, series, PredictiveRule.DEFAULT);
  }
}

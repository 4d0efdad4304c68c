package dev.vigil.models.forecast;

import java.time.Instant;

/**
 * The forecast of a series is expected to cross a threshold.
 *
 * @param series the series, e.g. {@code checkout/p95_latency}
 * @param threshold the threshold it is expected to cross (upwards)
 * @param expectedAt when the first forecast step at or above the threshold falls
 * @param stepsAhead how many steps after the last observation that is
 * @param forecastValue the forecast at that step
 */
public record PredictiveAlert(
    String series, double threshold, Instant expectedAt, int stepsAhead, double forecastValue) {

  /** A sentence for people, e.g. "checkout/p95_latency is expected to reach 250 at ...". */
  public String describe() {
    return String.format(
        "%s is expected to cross %.4g at %s (in %d steps; forecast %.4g)",
        series, threshold, expectedAt, stepsAhead, forecastValue);
  }
}

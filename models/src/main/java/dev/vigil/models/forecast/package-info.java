/**
 * Predictive alerts: a {@link dev.vigil.models.forecast.Forecaster} (the LSTM lives in {@code
 * models/lstm}) forecasts each service's latency, {@link
 * dev.vigil.models.forecast.PredictiveAlerter} raises a {@link
 * dev.vigil.models.forecast.PredictiveAlert} when the forecast crosses the threshold alert's level
 * as its {@link dev.vigil.models.forecast.PredictiveRule} allows, and {@link
 * dev.vigil.models.forecast.ForecastEvaluator} measures a forecaster on a held-out history behind
 * the same alerter (false alerts, ramps caught and their lead, forecast error).
 */
package dev.vigil.models.forecast;

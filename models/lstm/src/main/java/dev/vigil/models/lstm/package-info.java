/**
 * The LSTM forecaster on Deeplearning4j (CPU) and its predictive alerts, in a module of its own so
 * that nothing else pulls the ND4J runtime. {@link dev.vigil.models.lstm.LstmForecasterTrainer}
 * trains one forecaster on many series in batch; {@link dev.vigil.models.lstm.LstmForecaster}
 * forecasts, scores residuals against its calibrated band and raises {@link
 * dev.vigil.models.forecast.PredictiveAlert}s when the forecast crosses a threshold; {@link
 * dev.vigil.models.lstm.LstmUnivariateDetector} runs it on one stream.
 */
package dev.vigil.models.lstm;

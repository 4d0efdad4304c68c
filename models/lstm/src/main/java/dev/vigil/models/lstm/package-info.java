/**
 * The LSTM forecasters on Deeplearning4j (CPU), in a module of its own so that nothing else pulls
 * the ND4J runtime. {@link dev.vigil.models.lstm.LstmIncrementForecasterTrainer} trains the
 * forecaster of the predictive alerts, {@link dev.vigil.models.lstm.LstmIncrementForecaster}, on
 * many series in batch; {@link dev.vigil.models.lstm.LstmForecasterRecords} turns it into a model
 * registry entry and back (refusing one that does not fit). The NAB {@code lstm} detector, {@link
 * dev.vigil.models.lstm.LstmUnivariateDetector}, runs the same forecaster one step ahead and scores
 * its residuals.
 */
package dev.vigil.models.lstm;

package dev.vigil.models.lstm;

import dev.vigil.models.IncompatibleModelException;
import dev.vigil.models.ModelProvenance;
import dev.vigil.models.registry.RegisteredModel;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The increment LSTM forecaster as a registry entry ({@link RegisteredModel#LSTM_FORECASTER} under
 * {@link RegisteredModel#ALL_SERVICES}) and back. The entry's provenance is the trainer's plus the
 * window size its series were sampled at ({@value #WINDOW_SIZE}); an instance refuses a forecaster
 * of another window size, input schema or a shorter horizon than it forecasts.
 */
public final class LstmForecasterRecords {
  /** The trainer-configuration key of the window size (ISO-8601) the series were sampled at. */
  public static final String WINDOW_SIZE = "windowSize";

  private LstmForecasterRecords() {}

  /**
   * @param window the window size of the training series
   * @param evaluation its evaluation figures
   * @param reason why it is promoted
   */
  public static RegisteredModel toRecord(
      LstmIncrementForecaster f,
      Duration window,
      Instant promotedAt,
      Map<String, Double> evaluation,
      String reason) {
    ModelProvenance p = f.provenance();
    Map<String, String> config = new LinkedHashMap<>(p.trainerConfig());
    config.put(WINDOW_SIZE, window.toString());
    ModelProvenance withWindow =
        new ModelProvenance(
            p.trainer(),
            config,
            p.dataStart(),
            p.dataEnd(),
            p.rows(),
            p.featureSchemaHash(),
            p.seed(),
            p.codeVersion(),
            p.trainedAt());
    return new RegisteredModel(
        RegisteredModel.ALL_SERVICES,
        RegisteredModel.LSTM_FORECASTER,
        1,
        promotedAt,
        withWindow,
        "",
        evaluation,
        new RegisteredModel.Calibration(0, 1),
        reason,
        f.networkBytes());
  }

  /**
   * Decodes a registered forecaster for an instance with windows of {@code window} that forecasts
   * {@code horizon} windows ahead.
   *
   * @throws IncompatibleModelException saying why it does not fit
   */
  public static LstmIncrementForecaster load(RegisteredModel r, Duration window, int horizon) {
    String source = r.describe();
    if (!r.kind().equals(RegisteredModel.LSTM_FORECASTER)) {
      throw new IncompatibleModelException(
          source + " is not an " + RegisteredModel.LSTM_FORECASTER);
    }
    String w = r.provenance().trainerConfig().get(WINDOW_SIZE);
    Duration trained;
    try {
      trained = w == null ? null : Duration.parse(w);
    } catch (DateTimeParseException e) {
      trained = null;
    }
    if (trained == null) {
      throw new IncompatibleModelException(
          source + " does not say which window size it was trained on (" + WINDOW_SIZE + ")");
    }
    if (!trained.equals(window)) {
      throw new IncompatibleModelException(
          source
              + " was trained on windows of "
              + trained
              + ", this instance closes windows of "
              + window
              + " (windows.size); retrain it on this instance's history");
    }
    LstmIncrementForecaster f =
        LstmIncrementForecaster.fromBytes(r.payload(), r.provenance(), source);
    if (f.maxHorizon() < horizon) {
      throw new IncompatibleModelException(
          source
              + " forecasts "
              + f.maxHorizon()
              + " windows ahead, predictive.horizon asks for "
              + horizon
              + "; retrain with this horizon or shorten predictive.horizon");
    }
    return f;
  }
}

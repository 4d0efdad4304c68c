package dev.vigil.models.registry;

import dev.vigil.models.IncompatibleModelException;
import dev.vigil.models.forecast.Forecaster;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The forecaster of the predictive alerts in use, from the registry: {@link #refresh} reads the
 * registry's {@link RegisteredModel#ALL_SERVICES} entry and, when it holds a newer forecaster
 * version, decodes it with the loader (the LSTM runtime lives in its own module, so the service
 * passes the decoder) and hands it to the listener (the running predictive alerter). A version the
 * loader refuses (another input schema, window size or horizon, a payload that does not decode) is
 * kept as the reason in {@link #status()} and the forecaster in use stays.
 *
 * <p>Thread-safe: refreshed by the registry poller, read by the HTTP API.
 */
public final class ForecasterSlot {
  /** Decodes a registered forecaster for this instance, or refuses it. */
  @FunctionalInterface
  public interface Loader {
    /**
     * @throws IncompatibleModelException saying why it cannot be used here
     */
    Forecaster load(RegisteredModel record);
  }

  private record InUse(RegisteredModel record, Forecaster forecaster, Instant since) {}

  private final Loader loader;
  private final Consumer<Forecaster> listener;
  private final Clock clock;
  private volatile InUse inUse;
  private volatile String refused;

  /**
   * @param loader decodes a registered forecaster
   * @param listener receives each forecaster swapped in, on the refreshing thread
   * @param clock stamps when a forecaster came into use
   */
  public ForecasterSlot(Loader loader, Consumer<Forecaster> listener, Clock clock) {
    this.loader = loader;
    this.listener = listener;
    this.clock = clock;
  }

  /**
   * Swaps in the registry's forecaster if it is newer than the one in use.
   *
   * @return one line per swap or refusal, e.g. {@code *: none -> lstm_increment_forecaster v1}
   */
  public synchronized List<String> refresh(ModelRegistry registry) {
    List<String> changes = new ArrayList<>();
    Optional<RegisteredModel> found = registry.current(RegisteredModel.ALL_SERVICES);
    if (found.isEmpty()) {
      return changes;
    }
    RegisteredModel m = found.get();
    InUse in = inUse;
    if (in != null && in.record().version() >= m.version()) {
      return changes;
    }
    try {
      if (!m.isForecaster()) {
        throw new IncompatibleModelException(
            m.describe()
                + " is under the key of the shared forecaster ('"
                + RegisteredModel.ALL_SERVICES
                + "') but is not a forecaster");
      }
      Forecaster f = loader.load(m);
      listener.accept(f);
      inUse = new InUse(m, f, clock.instant());
      refused = null;
      changes.add(
          m.service()
              + ": "
              + (in == null ? "none" : in.record().kind() + " v" + in.record().version())
              + " -> "
              + m.kind()
              + " v"
              + m.version());
    } catch (IllegalArgumentException e) {
      String before = refused;
      refused = e.getMessage();
      if (!e.getMessage().equals(before)) {
        changes.add(m.service() + ": refused " + m.describe() + ": " + e.getMessage());
      }
    }
    return changes;
  }

  /** The forecaster in use, if any. */
  public Optional<Forecaster> forecaster() {
    return Optional.ofNullable(inUse).map(InUse::forecaster);
  }

  /** For {@code GET /api/models}: the forecaster in use and any refused newer version. */
  public Optional<ModelStatus> status() {
    InUse in = inUse;
    String r = refused;
    if (in == null && r == null) {
      return Optional.empty();
    }
    return Optional.of(
        new ModelStatus(
            RegisteredModel.ALL_SERVICES,
            Optional.ofNullable(in).map(InUse::record),
            Optional.ofNullable(in).map(InUse::since),
            0,
            Optional.empty(),
            Optional.ofNullable(r)));
  }
}

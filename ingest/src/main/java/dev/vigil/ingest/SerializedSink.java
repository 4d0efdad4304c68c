package dev.vigil.ingest;

import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.TelemetryBatch;
import java.util.Objects;

/**
 * A sink that lets one caller at a time into its delegate. See {@link TelemetrySink#serialized}.
 */
final class SerializedSink implements TelemetrySink {
  private final TelemetrySink delegate;

  SerializedSink(TelemetrySink delegate) {
    this.delegate = Objects.requireNonNull(delegate, "sink");
  }

  @Override
  public synchronized void accept(Signal signal, TelemetryBatch batch) {
    delegate.accept(signal, batch);
  }

  @Override
  public synchronized void accept(Signal signal, TelemetryBatch batch, String lane) {
    delegate.accept(signal, batch, lane);
  }
}

package dev.vigil.ingest;

import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.TelemetryBatch;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

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

  @Override
  public synchronized Optional<Instant> durableUpTo() {
    return delegate.durableUpTo();
  }

  @Override
  public synchronized void resumeFrom(Instant durableUpTo) {
    delegate.resumeFrom(durableUpTo);
  }

  @Override
  public synchronized void lanesAssigned(Signal signal, Collection<String> lanes) {
    delegate.lanesAssigned(signal, lanes);
  }

  @Override
  public synchronized void laneIdle(Signal signal, String lane) {
    delegate.laneIdle(signal, lane);
  }
}

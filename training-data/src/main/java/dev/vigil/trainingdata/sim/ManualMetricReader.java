package dev.vigil.trainingdata.sim;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.Collection;
import java.util.List;

/**
 * A metric reader that collects only when told to, so that the simulator collects at its own
 * simulated interval; the SDK's {@code PeriodicMetricReader} runs on the wall clock, which at 20x
 * speed (or in {@code runFor}, as fast as possible) would not match simulated time.
 */
final class ManualMetricReader implements MetricReader {
  private final AggregationTemporalitySelector temporality;
  private volatile CollectionRegistration registration = CollectionRegistration.noop();
  private volatile boolean shutdown;

  ManualMetricReader(AggregationTemporalitySelector temporality) {
    this.temporality = temporality;
  }

  @Override
  public void register(CollectionRegistration registration) {
    this.registration = registration;
  }

  /** Collects every metric of the provider at the provider clock's current time. */
  Collection<MetricData> collect() {
    if (shutdown) {
      return List.of();
    }
    return registration.collectAllMetrics();
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return temporality.getAggregationTemporality(instrumentType);
  }

  /** Nothing is buffered here: the simulator exports each collection itself. */
  @Override
  public CompletableResultCode forceFlush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    shutdown = true;
    return CompletableResultCode.ofSuccess();
  }
}

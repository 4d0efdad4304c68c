package dev.vigil.features;

import dev.vigil.telemetry.MetricPoint;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.otlp.OtlpDecoder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.DefaultAggregationSelector;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.io.ByteArrayOutputStream;
import java.util.Collection;
import java.util.List;

/**
 * An OpenTelemetry SDK meter provider on a manual clock whose collections come back as OTLP
 * protobuf decoded by Vigil's decoder: the path real exporters take.
 */
final class SdkMetrics implements AutoCloseable {
  private final ManualClock clock = new ManualClock();
  private final Reader reader;
  private final SdkMeterProvider provider;

  /**
   * @param startEpochNanos the provider's start, the start time of its cumulative points
   * @param histograms the aggregation of histogram instruments
   */
  SdkMetrics(
      String service,
      long startEpochNanos,
      AggregationTemporalitySelector temporality,
      Aggregation histograms) {
    clock.now = startEpochNanos;
    reader =
        new Reader(
            temporality,
            DefaultAggregationSelector.getDefault().with(InstrumentType.HISTOGRAM, histograms));
    provider =
        SdkMeterProvider.builder()
            .setClock(clock)
            .setResource(
                Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
            .registerMetricReader(reader)
            .build();
  }

  static AggregationTemporalitySelector cumulative() {
    return AggregationTemporalitySelector.alwaysCumulative();
  }

  static AggregationTemporalitySelector delta() {
    return type -> AggregationTemporality.DELTA;
  }

  Meter meter() {
    return provider.get("vigil-test");
  }

  /** Sets the clock, the time of the next measurements and collection. */
  void at(long epochNanos) {
    clock.now = epochNanos;
  }

  /** Collects, encodes as an OTLP export request and decodes it with {@link OtlpDecoder}. */
  List<MetricPoint> collect() throws Exception {
    Collection<MetricData> data = reader.registration.collectAllMetrics();
    MetricsRequestMarshaler marshaler = MetricsRequestMarshaler.create(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream(marshaler.getBinarySerializedSize());
    marshaler.writeBinaryTo(out);
    return OtlpDecoder.decode(Signal.METRICS, out.toByteArray()).metrics();
  }

  @Override
  public void close() {
    provider.close();
  }

  private static final class ManualClock implements Clock {
    private long now;

    @Override
    public long now() {
      return now;
    }

    @Override
    public long nanoTime() {
      return now;
    }
  }

  /** A pull reader: collects only when asked. */
  private static final class Reader implements MetricReader {
    private final AggregationTemporalitySelector temporality;
    private final DefaultAggregationSelector aggregation;
    private CollectionRegistration registration = CollectionRegistration.noop();

    Reader(AggregationTemporalitySelector temporality, DefaultAggregationSelector aggregation) {
      this.temporality = temporality;
      this.aggregation = aggregation;
    }

    @Override
    public void register(CollectionRegistration registration) {
      this.registration = registration;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType type) {
      return temporality.getAggregationTemporality(type);
    }

    @Override
    public Aggregation getDefaultAggregation(InstrumentType type) {
      return aggregation.getDefaultAggregation(type);
    }

    @Override
    public CompletableResultCode forceFlush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}

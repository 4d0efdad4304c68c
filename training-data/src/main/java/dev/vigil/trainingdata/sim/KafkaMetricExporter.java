package dev.vigil.trainingdata.sim;

import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;

/**
 * Writes metrics to a Kafka topic as the OpenTelemetry Collector's kafka exporter does with {@code
 * encoding: otlp_proto}: one record per export, value = {@code ExportMetricsServiceRequest}
 * protobuf bytes (the same bytes as {@code MetricsData}) made by the SDK's own OTLP marshaler,
 * empty key.
 *
 * <p>It asks for cumulative temporality when used with the SDK's own readers; the {@link
 * MicroserviceSimulator} chooses the temporality itself ({@link
 * MicroserviceSimulator.Builder#metricTemporality}).
 */
public final class KafkaMetricExporter extends KafkaOtlpExporter implements MetricExporter {
  public KafkaMetricExporter(String bootstrapServers, String topic) {
    super(bootstrapServers, topic);
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    return send(marshal(metrics), metrics.size());
  }

  /** OTLP protobuf bytes of an {@code ExportMetricsServiceRequest} holding the metrics. */
  public static byte[] marshal(Collection<MetricData> metrics) {
    return bytes(MetricsRequestMarshaler.create(metrics));
  }

  /** Metrics (each with its points) acknowledged by the broker. */
  public long metrics() {
    return items();
  }

  /** Metrics whose record the broker did not take. */
  public long failedMetrics() {
    return failedItems();
  }
}

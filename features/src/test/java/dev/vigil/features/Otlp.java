package dev.vigil.features;

import com.google.protobuf.ByteString;
import dev.vigil.telemetry.LogEntry;
import dev.vigil.telemetry.MetricPoint;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.otlp.OtlpDecodeException;
import dev.vigil.telemetry.otlp.OtlpDecoder;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.HexFormat;
import java.util.List;

/** OTLP messages built with the official protobuf classes, decoded by Vigil's decoder. */
final class Otlp {
  private Otlp() {}

  static List<MetricPoint> metrics(String service, Metric... metrics) {
    MetricsData data =
        MetricsData.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(resource(service))
                    .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
            .build();
    try {
      return OtlpDecoder.decode(Signal.METRICS, data.toByteArray()).metrics();
    } catch (OtlpDecodeException e) {
      throw new AssertionError(e);
    }
  }

  static List<LogEntry> logs(String service, LogRecord... records) {
    LogsData data =
        LogsData.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .setResource(resource(service))
                    .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(records))))
            .build();
    try {
      return OtlpDecoder.decode(Signal.LOGS, data.toByteArray()).logs();
    } catch (OtlpDecodeException e) {
      throw new AssertionError(e);
    }
  }

  private static Resource resource(String service) {
    return Resource.newBuilder().addAttributes(attribute("service.name", service)).build();
  }

  static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  static NumberDataPoint number(long start, long time, double value) {
    return NumberDataPoint.newBuilder()
        .setStartTimeUnixNano(start)
        .setTimeUnixNano(time)
        .setAsDouble(value)
        .build();
  }

  static Metric sum(
      String name, boolean monotonic, AggregationTemporality t, NumberDataPoint... points) {
    return Metric.newBuilder()
        .setName(name)
        .setUnit("1")
        .setSum(
            Sum.newBuilder()
                .setIsMonotonic(monotonic)
                .setAggregationTemporality(t)
                .addAllDataPoints(List.of(points)))
        .build();
  }

  static Metric counter(NumberDataPoint... points) {
    return sum("requests", true, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, points);
  }

  static Metric gauge(String name, String unit, NumberDataPoint... points) {
    return Metric.newBuilder()
        .setName(name)
        .setUnit(unit)
        .setGauge(Gauge.newBuilder().addAllDataPoints(List.of(points)))
        .build();
  }

  static Metric histogram(
      String name,
      AggregationTemporality t,
      List<Double> bounds,
      long start,
      long time,
      long... counts) {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    HistogramDataPoint.Builder p =
        HistogramDataPoint.newBuilder()
            .setStartTimeUnixNano(start)
            .setTimeUnixNano(time)
            .setCount(n)
            .setSum(n)
            .addAllExplicitBounds(bounds);
    for (long c : counts) {
      p.addBucketCounts(c);
    }
    return Metric.newBuilder()
        .setName(name)
        .setUnit("ms")
        .setHistogram(Histogram.newBuilder().setAggregationTemporality(t).addDataPoints(p))
        .build();
  }

  /** A summary point with quantiles given as (quantile, value) pairs. */
  static Metric summary(long start, long time, long count, double sum, double... quantiles) {
    SummaryDataPoint.Builder p =
        SummaryDataPoint.newBuilder()
            .setStartTimeUnixNano(start)
            .setTimeUnixNano(time)
            .setCount(count)
            .setSum(sum);
    for (int i = 0; i < quantiles.length; i += 2) {
      p.addQuantileValues(
          SummaryDataPoint.ValueAtQuantile.newBuilder()
              .setQuantile(quantiles[i])
              .setValue(quantiles[i + 1]));
    }
    return Metric.newBuilder()
        .setName("rpc.duration")
        .setUnit("s")
        .setSummary(Summary.newBuilder().addDataPoints(p))
        .build();
  }

  static LogRecord log(long time, int severity, String text, String body, String traceId) {
    LogRecord.Builder b =
        LogRecord.newBuilder()
            .setTimeUnixNano(time)
            .setSeverityNumberValue(severity)
            .setSeverityText(text)
            .setBody(AnyValue.newBuilder().setStringValue(body));
    if (!traceId.isEmpty()) {
      b.setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId)));
    }
    return b.build();
  }
}

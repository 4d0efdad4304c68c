package dev.vigil.telemetry.otlp;

import dev.vigil.telemetry.Exemplar;
import dev.vigil.telemetry.MetricPoint;
import dev.vigil.telemetry.MetricPoint.Temporality;
import dev.vigil.telemetry.Resource;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps OTLP {@code MetricsData} to {@link MetricPoint}s, one per data point. A point that fails
 * validation (bad times, a NaN or infinite value, an exemplar with a bad id, bucket counts that do
 * not fit the bounds) is rejected on its own. A point flagged {@code
 * DATA_POINT_FLAGS_NO_RECORDED_VALUE} (for example a Prometheus staleness marker) carries no value
 * and is skipped without counting as rejected.
 */
final class MetricMapper {
  private static final int NO_RECORDED_VALUE =
      DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE;

  private MetricMapper() {}

  static List<MetricPoint> points(MetricsData data, RejectionsAccumulator rejections) {
    List<MetricPoint> out = new ArrayList<>();
    for (ResourceMetrics rm : data.getResourceMetricsList()) {
      Resource resource = Resource.of(Attributes.toMap(rm.getResource().getAttributesList()));
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          addPoints(resource, m, out, rejections);
        }
      }
    }
    return out;
  }

  private static void addPoints(
      Resource r, Metric m, List<MetricPoint> out, RejectionsAccumulator rejections) {
    switch (m.getDataCase()) {
      case GAUGE -> {
        for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
          add(out, rejections, p.getFlags(), () -> gauge(r, m, p, rejections.notAfterEpochNanos()));
        }
      }
      case SUM -> {
        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
          add(out, rejections, p.getFlags(), () -> sum(r, m, p, rejections.notAfterEpochNanos()));
        }
      }
      case HISTOGRAM -> {
        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
          add(
              out,
              rejections,
              p.getFlags(),
              () -> histogram(r, m, p, rejections.notAfterEpochNanos()));
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
          add(
              out,
              rejections,
              p.getFlags(),
              () -> exponential(r, m, p, rejections.notAfterEpochNanos()));
        }
      }
      case SUMMARY -> {
        for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
          add(
              out,
              rejections,
              p.getFlags(),
              () -> summary(r, m, p, rejections.notAfterEpochNanos()));
        }
      }
      case DATA_NOT_SET -> {
        // A metric without data carries no points; nothing to record.
      }
    }
  }

  @FunctionalInterface
  private interface PointMapper {
    MetricPoint map() throws OtlpDecodeException;
  }

  private static void add(
      List<MetricPoint> out, RejectionsAccumulator rejections, int flags, PointMapper mapper) {
    if ((flags & NO_RECORDED_VALUE) != 0) {
      return;
    }
    try {
      out.add(mapper.map());
    } catch (OtlpDecodeException e) {
      rejections.reject(e);
    }
  }

  private static MetricPoint gauge(Resource r, Metric m, NumberDataPoint p, long notAfter)
      throws OtlpDecodeException {
    return new MetricPoint.Gauge(
        r,
        m.getName(),
        m.getUnit(),
        Attributes.toMap(p.getAttributesList()),
        start(p.getStartTimeUnixNano(), p.getTimeUnixNano(), notAfter),
        time(p.getTimeUnixNano(), notAfter),
        number(p),
        exemplars(p.getExemplarsList()));
  }

  private static MetricPoint sum(Resource r, Metric m, NumberDataPoint p, long notAfter)
      throws OtlpDecodeException {
    return new MetricPoint.Sum(
        r,
        m.getName(),
        m.getUnit(),
        Attributes.toMap(p.getAttributesList()),
        start(p.getStartTimeUnixNano(), p.getTimeUnixNano(), notAfter),
        time(p.getTimeUnixNano(), notAfter),
        number(p),
        Temporality.fromOtlp(m.getSum().getAggregationTemporalityValue()),
        m.getSum().getIsMonotonic(),
        exemplars(p.getExemplarsList()));
  }

  private static MetricPoint histogram(Resource r, Metric m, HistogramDataPoint p, long notAfter)
      throws OtlpDecodeException {
    int buckets = p.getBucketCountsCount();
    if (buckets != 0 && buckets != p.getExplicitBoundsCount() + 1) {
      throw new OtlpDecodeException(
          OtlpDecodeException.INVALID_HISTOGRAM,
          "histogram "
              + m.getName()
              + " has "
              + buckets
              + " bucket counts for "
              + p.getExplicitBoundsCount()
              + " bounds; expected bounds + 1");
    }
    for (double bound : p.getExplicitBoundsList()) {
      finite("histogram bound", bound);
    }
    return new MetricPoint.Histogram(
        r,
        m.getName(),
        m.getUnit(),
        Attributes.toMap(p.getAttributesList()),
        start(p.getStartTimeUnixNano(), p.getTimeUnixNano(), notAfter),
        time(p.getTimeUnixNano(), notAfter),
        p.getCount(),
        finite("histogram sum", p.getSum()),
        p.getExplicitBoundsList(),
        p.getBucketCountsList(),
        Temporality.fromOtlp(m.getHistogram().getAggregationTemporalityValue()),
        exemplars(p.getExemplarsList()));
  }

  private static MetricPoint exponential(
      Resource r, Metric m, ExponentialHistogramDataPoint p, long notAfter)
      throws OtlpDecodeException {
    return new MetricPoint.ExponentialHistogram(
        r,
        m.getName(),
        m.getUnit(),
        Attributes.toMap(p.getAttributesList()),
        start(p.getStartTimeUnixNano(), p.getTimeUnixNano(), notAfter),
        time(p.getTimeUnixNano(), notAfter),
        p.getCount(),
        finite("exponential histogram sum", p.getSum()),
        p.getScale(),
        p.getZeroCount(),
        p.getPositive().getOffset(),
        p.getPositive().getBucketCountsList(),
        p.getNegative().getOffset(),
        p.getNegative().getBucketCountsList(),
        Temporality.fromOtlp(m.getExponentialHistogram().getAggregationTemporalityValue()),
        exemplars(p.getExemplarsList()));
  }

  private static MetricPoint summary(Resource r, Metric m, SummaryDataPoint p, long notAfter)
      throws OtlpDecodeException {
    Map<Double, Double> quantiles = new LinkedHashMap<>();
    for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
      quantiles.put(q.getQuantile(), finite("summary quantile value", q.getValue()));
    }
    return new MetricPoint.Summary(
        r,
        m.getName(),
        m.getUnit(),
        Attributes.toMap(p.getAttributesList()),
        start(p.getStartTimeUnixNano(), p.getTimeUnixNano(), notAfter),
        time(p.getTimeUnixNano(), notAfter),
        p.getCount(),
        finite("summary sum", p.getSum()),
        quantiles);
  }

  private static long time(long time, long notAfter) throws OtlpDecodeException {
    return Timestamps.required("data point time", time, notAfter);
  }

  private static long start(long start, long time, long notAfter) throws OtlpDecodeException {
    time(time, notAfter);
    Timestamps.optional("data point start time", start, notAfter);
    Timestamps.ordered("data point", start, time);
    return start;
  }

  private static double finite(String field, double value) throws OtlpDecodeException {
    if (!Double.isFinite(value)) {
      throw new OtlpDecodeException(
          OtlpDecodeException.NON_FINITE_VALUE, field + " is " + value + ", not a finite number");
    }
    return value;
  }

  private static double number(NumberDataPoint p) throws OtlpDecodeException {
    return p.getValueCase() == NumberDataPoint.ValueCase.AS_INT
        ? p.getAsInt()
        : finite("data point value", p.getAsDouble());
  }

  private static List<Exemplar> exemplars(List<io.opentelemetry.proto.metrics.v1.Exemplar> in)
      throws OtlpDecodeException {
    if (in.isEmpty()) {
      return List.of();
    }
    List<Exemplar> out = new ArrayList<>(in.size());
    for (io.opentelemetry.proto.metrics.v1.Exemplar e : in) {
      double v =
          e.getValueCase() == io.opentelemetry.proto.metrics.v1.Exemplar.ValueCase.AS_INT
              ? e.getAsInt()
              : e.getAsDouble();
      out.add(
          new Exemplar(
              e.getTimeUnixNano(),
              v,
              Ids.optionalTraceId(e.getTraceId()),
              Ids.optionalSpanId(e.getSpanId())));
    }
    return out;
  }
}

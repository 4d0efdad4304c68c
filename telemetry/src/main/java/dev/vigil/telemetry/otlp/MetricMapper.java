package dev.vigil.telemetry.otlp;

import dev.vigil.telemetry.Exemplar;
import dev.vigil.telemetry.MetricPoint;
import dev.vigil.telemetry.MetricPoint.Temporality;
import dev.vigil.telemetry.Resource;
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

/** Maps OTLP {@code MetricsData} to {@link MetricPoint}s, one per data point. */
final class MetricMapper {
  private MetricMapper() {}

  static List<MetricPoint> points(MetricsData data) throws OtlpDecodeException {
    List<MetricPoint> out = new ArrayList<>();
    for (ResourceMetrics rm : data.getResourceMetricsList()) {
      Resource resource = Resource.of(Attributes.toMap(rm.getResource().getAttributesList()));
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          addPoints(resource, m, out);
        }
      }
    }
    return out;
  }

  private static void addPoints(Resource r, Metric m, List<MetricPoint> out)
      throws OtlpDecodeException {
    String name = m.getName();
    String unit = m.getUnit();
    switch (m.getDataCase()) {
      case GAUGE -> {
        for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
          out.add(
              new MetricPoint.Gauge(
                  r,
                  name,
                  unit,
                  Attributes.toMap(p.getAttributesList()),
                  p.getStartTimeUnixNano(),
                  p.getTimeUnixNano(),
                  number(p),
                  exemplars(p.getExemplarsList())));
        }
      }
      case SUM -> {
        Temporality t = Temporality.fromOtlp(m.getSum().getAggregationTemporalityValue());
        boolean monotonic = m.getSum().getIsMonotonic();
        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
          out.add(
              new MetricPoint.Sum(
                  r,
                  name,
                  unit,
                  Attributes.toMap(p.getAttributesList()),
                  p.getStartTimeUnixNano(),
                  p.getTimeUnixNano(),
                  number(p),
                  t,
                  monotonic,
                  exemplars(p.getExemplarsList())));
        }
      }
      case HISTOGRAM -> {
        Temporality t = Temporality.fromOtlp(m.getHistogram().getAggregationTemporalityValue());
        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
          out.add(
              new MetricPoint.Histogram(
                  r,
                  name,
                  unit,
                  Attributes.toMap(p.getAttributesList()),
                  p.getStartTimeUnixNano(),
                  p.getTimeUnixNano(),
                  p.getCount(),
                  p.getSum(),
                  p.getExplicitBoundsList(),
                  p.getBucketCountsList(),
                  t,
                  exemplars(p.getExemplarsList())));
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        Temporality t =
            Temporality.fromOtlp(m.getExponentialHistogram().getAggregationTemporalityValue());
        for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
          out.add(
              new MetricPoint.ExponentialHistogram(
                  r,
                  name,
                  unit,
                  Attributes.toMap(p.getAttributesList()),
                  p.getStartTimeUnixNano(),
                  p.getTimeUnixNano(),
                  p.getCount(),
                  p.getSum(),
                  p.getScale(),
                  p.getZeroCount(),
                  p.getPositive().getOffset(),
                  p.getPositive().getBucketCountsList(),
                  p.getNegative().getOffset(),
                  p.getNegative().getBucketCountsList(),
                  t,
                  exemplars(p.getExemplarsList())));
        }
      }
      case SUMMARY -> {
        for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
          Map<Double, Double> quantiles = new LinkedHashMap<>();
          for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
            quantiles.put(q.getQuantile(), q.getValue());
          }
          out.add(
              new MetricPoint.Summary(
                  r,
                  name,
                  unit,
                  Attributes.toMap(p.getAttributesList()),
                  p.getStartTimeUnixNano(),
                  p.getTimeUnixNano(),
                  p.getCount(),
                  p.getSum(),
                  quantiles));
        }
      }
      case DATA_NOT_SET -> {
        // A metric without data carries no points; nothing to record.
      }
    }
  }

  private static double number(NumberDataPoint p) {
    return p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
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

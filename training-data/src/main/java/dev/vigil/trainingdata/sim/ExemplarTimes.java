package dev.vigil.trainingdata.sim;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.ExemplarData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts exemplars on the simulated clock. The SDK stamps an exemplar with {@code Clock.getDefault()}
 * whatever clock its meter provider has (its aggregations build their reservoirs with the default
 * clock; open-telemetry/opentelemetry-java#3691), so at 20x, or in {@code runFor}, exemplar times
 * would be wall-clock times. This keeps the simulated end of each span measured since the last
 * collection and rewrites the exemplars of a collection with them (an exemplar whose span it does
 * not know gets the collection time). Uses the SDK's internal immutable data classes, as the
 * exporters use its internal marshalers: the public factories cannot carry exemplars for every
 * point type.
 */
final class ExemplarTimes {
  private final Map<String, Long> endBySpanId = new HashMap<>();

  /** A measurement made in the context of a span that ended at {@code endNanos}. */
  void measured(Context context, long endNanos) {
    endBySpanId.put(Span.fromContext(context).getSpanContext().getSpanId(), endNanos);
  }

  /** The metrics with their exemplars' times made simulated; forgets the spans seen so far. */
  List<MetricData> apply(Collection<MetricData> metrics, long collectionNanos) {
    List<MetricData> out = new ArrayList<>(metrics.size());
    for (MetricData m : metrics) {
      out.add(rewrite(m, collectionNanos));
    }
    endBySpanId.clear();
    return out;
  }

  private MetricData rewrite(MetricData m, long now) {
    return switch (m.getType()) {
      case HISTOGRAM -> {
        HistogramData data = m.getHistogramData();
        List<HistogramPointData> points = new ArrayList<>();
        for (HistogramPointData p : data.getPoints()) {
          points.add(
              ImmutableHistogramPointData.create(
                  p.getStartEpochNanos(),
                  p.getEpochNanos(),
                  p.getAttributes(),
                  p.getSum(),
                  p.hasMin(),
                  p.getMin(),
                  p.hasMax(),
                  p.getMax(),
                  p.getBoundaries(),
                  p.getCounts(),
                  doubles(p.getExemplars(), now)));
        }
        yield ImmutableMetricData.createDoubleHistogram(
            m.getResource(),
            m.getInstrumentationScopeInfo(),
            m.getName(),
            m.getDescription(),
            m.getUnit(),
            HistogramData.create(data.getAggregationTemporality(), points));
      }
      case EXPONENTIAL_HISTOGRAM -> {
        ExponentialHistogramData data = m.getExponentialHistogramData();
        List<ExponentialHistogramPointData> points = new ArrayList<>();
        for (ExponentialHistogramPointData p : data.getPoints()) {
          points.add(
              ExponentialHistogramPointData.create(
                  p.getScale(),
                  p.getSum(),
                  p.getZeroCount(),
                  p.hasMin(),
                  p.getMin(),
                  p.hasMax(),
                  p.getMax(),
                  p.getPositiveBuckets(),
                  p.getNegativeBuckets(),
                  p.getStartEpochNanos(),
                  p.getEpochNanos(),
                  p.getAttributes(),
                  doubles(p.getExemplars(), now)));
        }
        yield ImmutableMetricData.createExponentialHistogram(
            m.getResource(),
            m.getInstrumentationScopeInfo(),
            m.getName(),
            m.getDescription(),
            m.getUnit(),
            ExponentialHistogramData.create(data.getAggregationTemporality(), points));
      }
      case LONG_SUM -> {
        SumData<LongPointData> data = m.getLongSumData();
        List<LongPointData> points = new ArrayList<>();
        for (LongPointData p : data.getPoints()) {
          List<LongExemplarData> exemplars = new ArrayList<>();
          for (LongExemplarData e : p.getExemplars()) {
            exemplars.add(
                LongExemplarData.create(
                    e.getFilteredAttributes(), time(e, now), e.getSpanContext(), e.getValue()));
          }
          points.add(
              ImmutableLongPointData.create(
                  p.getStartEpochNanos(),
                  p.getEpochNanos(),
                  p.getAttributes(),
                  p.getValue(),
                  exemplars));
        }
        yield ImmutableMetricData.createLongSum(
            m.getResource(),
            m.getInstrumentationScopeInfo(),
            m.getName(),
            m.getDescription(),
            m.getUnit(),
            ImmutableSumData.create(data.isMonotonic(), data.getAggregationTemporality(), points));
      }
      default -> m; // asynchronous instruments: no exemplars
    };
  }

  private List<DoubleExemplarData> doubles(List<DoubleExemplarData> in, long now) {
    List<DoubleExemplarData> out = new ArrayList<>(in.size());
    for (DoubleExemplarData e : in) {
      out.add(
          DoubleExemplarData.create(
              e.getFilteredAttributes(), time(e, now), e.getSpanContext(), e.getValue()));
    }
    return out;
  }

  private long time(ExemplarData e, long now) {
    return endBySpanId.getOrDefault(e.getSpanContext().getSpanId(), now);
  }
}

package dev.vigil.telemetry;

import java.util.List;
import java.util.Map;

/**
 * One data point of an OTLP metric, flattened with its metric descriptor and resource. The
 * hierarchy is closed: gauges, sums, histograms, exponential histograms and summaries.
 */
public sealed interface MetricPoint
    permits MetricPoint.Gauge,
        MetricPoint.Sum,
        MetricPoint.Histogram,
        MetricPoint.ExponentialHistogram,
        MetricPoint.Summary {

  Resource resource();

  String name();

  String unit();

  Map<String, Object> attributes();

  long startEpochNanos();

  long timeEpochNanos();

  List<Exemplar> exemplars();

  default String service() {
    return resource().serviceName();
  }

  /** How a sum or histogram accumulates, per OTLP {@code AggregationTemporality}. */
  enum Temporality {
    UNSPECIFIED,
    DELTA,
    CUMULATIVE;

    public static Temporality fromOtlp(int number) {
      return switch (number) {
        case 1 -> DELTA;
        case 2 -> CUMULATIVE;
        default -> UNSPECIFIED;
      };
    }
  }

  /** A sampled value. */
  record Gauge(
      Resource resource,
      String name,
      String unit,
      Map<String, Object> attributes,
      long startEpochNanos,
      long timeEpochNanos,
      double value,
      List<Exemplar> exemplars)
      implements MetricPoint {
    public Gauge {
      attributes = Map.copyOf(attributes);
      exemplars = List.copyOf(exemplars);
    }
  }

  /** A sum, cumulative or delta, monotonic or not. */
  record Sum(
      Resource resource,
      String name,
      String unit,
      Map<String, Object> attributes,
      long startEpochNanos,
      long timeEpochNanos,
      double value,
      Temporality temporality,
      boolean monotonic,
      List<Exemplar> exemplars)
      implements MetricPoint {
    public Sum {
      attributes = Map.copyOf(attributes);
      exemplars = List.copyOf(exemplars);
    }
  }

  /** An explicit-bucket histogram: {@code bucketCounts.size() == explicitBounds.size() + 1}. */
  record Histogram(
      Resource resource,
      String name,
      String unit,
      Map<String, Object> attributes,
      long startEpochNanos,
      long timeEpochNanos,
      long count,
      double sum,
      List<Double> explicitBounds,
      List<Long> bucketCounts,
      Temporality temporality,
      List<Exemplar> exemplars)
      implements MetricPoint {
    public Histogram {
      attributes = Map.copyOf(attributes);
      explicitBounds = List.copyOf(explicitBounds);
      bucketCounts = List.copyOf(bucketCounts);
      exemplars = List.copyOf(exemplars);
    }
  }

  /**
   * A base-2 exponential histogram: bucket {@code i} of the positive range covers {@code
   * (base^(offset+i), base^(offset+i+1)]} with {@code base = 2^(2^-scale)}.
   */
  record ExponentialHistogram(
      Resource resource,
      String name,
      String unit,
      Map<String, Object> attributes,
      long startEpochNanos,
      long timeEpochNanos,
      long count,
      double sum,
      int scale,
      long zeroCount,
      int positiveOffset,
      List<Long> positiveCounts,
      int negativeOffset,
      List<Long> negativeCounts,
      Temporality temporality,
      List<Exemplar> exemplars)
      implements MetricPoint {
    public ExponentialHistogram {
      attributes = Map.copyOf(attributes);
      positiveCounts = List.copyOf(positiveCounts);
      negativeCounts = List.copyOf(negativeCounts);
      exemplars = List.copyOf(exemplars);
    }
  }

  /** A summary with precomputed quantiles ({@code quantile -> value}). */
  record Summary(
      Resource resource,
      String name,
      String unit,
      Map<String, Object> attributes,
      long startEpochNanos,
      long timeEpochNanos,
      long count,
      double sum,
      Map<Double, Double> quantiles)
      implements MetricPoint {
    public Summary {
      attributes = Map.copyOf(attributes);
      quantiles = Map.copyOf(quantiles);
    }

    @Override
    public List<Exemplar> exemplars() {
      return List.of();
    }
  }
}

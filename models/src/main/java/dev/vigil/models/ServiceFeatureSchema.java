package dev.vigil.models;

import dev.vigil.features.ServiceFeatures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The per-service feature vector the monitor's detectors see, and how each raw feature is read from
 * {@link ServiceFeatures}. Latencies and rates enter the detector as {@code log1p}, so that a
 * doubling weighs the same at 2 ms and at 2 s.
 */
public final class ServiceFeatureSchema {

  /** One feature: how to read it, its unit, and which direction of change is harmful. */
  public enum Feature {
    REQUEST_RATE("request_rate", "req/s", false),
    ERROR_RATE("error_rate", "ratio", true),
    P50_LATENCY("p50_latency", "ms", true),
    P95_LATENCY("p95_latency", "ms", true),
    SELF_P95_LATENCY("self_p95_latency", "ms", true),
    SELF_ERROR_RATE("self_error_rate", "ratio", true);

    private final String id;
    private final String unit;
    private final boolean harmfulWhenUp;

    Feature(String id, String unit, boolean harmfulWhenUp) {
      this.id = id;
      this.unit = unit;
      this.harmfulWhenUp = harmfulWhenUp;
    }

    public String id() {
      return id;
    }

    public String unit() {
      return unit;
    }

    /** Whether an increase of this feature is, by itself, a symptom. */
    public boolean harmfulWhenUp() {
      return harmfulWhenUp;
    }

    public boolean isLatency() {
      return unit.equals("ms");
    }

    /**
     * For a tail latency quantile, the share of requests above it (0.05 for a p95); 0 for the
     * median, which moves only when most requests do, and for the other features.
     */
    public double tailShare() {
      return switch (this) {
        case P95_LATENCY, SELF_P95_LATENCY -> 0.05;
        default -> 0;
      };
    }

    /** The raw value (in {@link #unit()}) of this feature in a window. */
    public double read(ServiceFeatures f, Duration window) {
      return switch (this) {
        case REQUEST_RATE -> f.requests() / (window.toMillis() / 1000.0);
        case ERROR_RATE -> f.errorRate();
        case P50_LATENCY -> f.p50Millis();
        case P95_LATENCY -> f.p95Millis();
        case SELF_P95_LATENCY -> f.selfP95Millis();
        case SELF_ERROR_RATE -> f.selfErrorRate();
      };
    }
  }

  /** The features of the detector vector, in order. */
  public static final List<Feature> DETECTOR_FEATURES =
      List.of(
          Feature.REQUEST_RATE,
          Feature.ERROR_RATE,
          Feature.P50_LATENCY,
          Feature.P95_LATENCY,
          Feature.SELF_P95_LATENCY);

  /**
   * The detector vector as a {@link FeatureSchema}: what batch-trained models of a service window
   * are trained on, and whose hash their provenance records.
   */
  public static final FeatureSchema SCHEMA =
      new FeatureSchema(
          DETECTOR_FEATURES.stream().map(Feature::id).toList(),
          "log1p(request_rate, latencies); error_rate raw");

  private ServiceFeatureSchema() {}

  /** The detector vector of a service window. */
  public static FeatureVector vector(ServiceFeatures f, Instant time, Duration window) {
    double[] v = new double[DETECTOR_FEATURES.size()];
    for (int i = 0; i < v.length; i++) {
      Feature feature = DETECTOR_FEATURES.get(i);
      double raw = feature.read(f, window);
      v[i] = feature == Feature.ERROR_RATE ? raw : Math.log1p(Math.max(0, raw));
    }
    return new FeatureVector(time, v);
  }

  /** A stable hash of the feature names and transforms, recorded in model provenance. */
  public static String hash() {
    StringBuilder sb = new StringBuilder("v1");
    DETECTOR_FEATURES.forEach(f -> sb.append('|').append(f.id()));
    return Integer.toHexString(sb.toString().hashCode());
  }
}

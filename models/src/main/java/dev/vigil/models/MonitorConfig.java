package dev.vigil.models;

/**
 * Configuration of {@link ServiceAnomalyMonitor}. Build with {@link #builder()}; every value is
 * checked when built.
 *
 * @param minRequests windows with fewer requests for a service are not scored for it
 * @param baselineWindows normal windows kept per feature for the robust baseline
 * @param minBaselineWindows windows needed before a baseline may confirm an anomaly
 * @param zThreshold robust z-score a feature must reach to count as changed
 * @param strongZ robust z-score at which a change is reported even if the forest did not alarm
 * @param minLatencyChange smallest relative latency increase that counts (0.3 = 30 %)
 * @param minLatencyMillis smallest absolute latency increase that counts
 * @param minErrorRateChange smallest absolute error-rate increase that counts
 * @param minErrors smallest number of errors in a window for an error-rate change to count
 * @param minTailRequests smallest number of requests beyond a latency quantile for a change of that
 *     quantile to count: a p95 moves when 5 % of the requests are slow, so with 5 it needs 100
 *     requests in the window. Below that a quantile is one or two requests' latency, and the slow
 *     tail every service has would page someone several times a day on a quiet service; the median
 *     still catches a slowdown of most requests there.
 */
public record MonitorConfig(
    int minRequests,
    int baselineWindows,
    int minBaselineWindows,
    double zThreshold,
    double strongZ,
    double minLatencyChange,
    double minLatencyMillis,
    double minErrorRateChange,
    int minErrors,
    int minTailRequests,
    RandomCutForestConfig forest) {

  public static final int DEFAULT_MIN_REQUESTS = 5;
  public static final int DEFAULT_BASELINE_WINDOWS = 60;
  public static final int DEFAULT_MIN_BASELINE_WINDOWS = 12;
  public static final double DEFAULT_Z_THRESHOLD = 4;
  public static final double DEFAULT_STRONG_Z = 8;
  public static final double DEFAULT_MIN_LATENCY_CHANGE = 0.3;
  public static final double DEFAULT_MIN_LATENCY_MILLIS = 5;
  public static final double DEFAULT_MIN_ERROR_RATE_CHANGE = 0.05;
  public static final int DEFAULT_MIN_ERRORS = 3;
  public static final int DEFAULT_MIN_TAIL_REQUESTS = 5;

  public MonitorConfig {
    check(minRequests > 0, "minRequests must be greater than 0");
    check(baselineWindows > 1, "baselineWindows must be greater than 1");
    check(
        minBaselineWindows > 0 && minBaselineWindows <= baselineWindows,
        "minBaselineWindows must be in [1, baselineWindows]");
    check(zThreshold > 0, "zThreshold must be greater than 0");
    check(strongZ >= zThreshold, "strongZ must be at least zThreshold");
    check(minLatencyChange >= 0, "minLatencyChange must not be negative");
    check(minLatencyMillis >= 0, "minLatencyMillis must not be negative");
    check(minErrorRateChange >= 0, "minErrorRateChange must not be negative");
    check(minErrors >= 0, "minErrors must not be negative");
    check(minTailRequests >= 0, "minTailRequests must not be negative");
    check(
        forest.dimensions() == ServiceFeatureSchema.DETECTOR_FEATURES.size(),
        "forest.dimensions must equal the schema's "
            + ServiceFeatureSchema.DETECTOR_FEATURES.size());
  }

  public static Builder builder() {
    return new Builder();
  }

  public static MonitorConfig defaults() {
    return builder().build();
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Builder with the documented defaults. */
  public static final class Builder {
    private int minRequests = DEFAULT_MIN_REQUESTS;
    private int baselineWindows = DEFAULT_BASELINE_WINDOWS;
    private int minBaselineWindows = DEFAULT_MIN_BASELINE_WINDOWS;
    private double zThreshold = DEFAULT_Z_THRESHOLD;
    private double strongZ = DEFAULT_STRONG_Z;
    private double minLatencyChange = DEFAULT_MIN_LATENCY_CHANGE;
    private double minLatencyMillis = DEFAULT_MIN_LATENCY_MILLIS;
    private double minErrorRateChange = DEFAULT_MIN_ERROR_RATE_CHANGE;
    private int minErrors = DEFAULT_MIN_ERRORS;
    private int minTailRequests = DEFAULT_MIN_TAIL_REQUESTS;
    private RandomCutForestConfig forest =
        RandomCutForestConfig.defaults(ServiceFeatureSchema.DETECTOR_FEATURES.size());

    private Builder() {}

    public Builder minRequests(int v) {
      minRequests = v;
      return this;
    }

    public Builder baselineWindows(int v) {
      baselineWindows = v;
      return this;
    }

    public Builder minBaselineWindows(int v) {
      minBaselineWindows = v;
      return this;
    }

    public Builder zThreshold(double v) {
      zThreshold = v;
      return this;
    }

    public Builder strongZ(double v) {
      strongZ = v;
      return this;
    }

    public Builder minLatencyChange(double v) {
      minLatencyChange = v;
      return this;
    }

    public Builder minLatencyMillis(double v) {
      minLatencyMillis = v;
      return this;
    }

    public Builder minErrorRateChange(double v) {
      minErrorRateChange = v;
      return this;
    }

    public Builder minErrors(int v) {
      minErrors = v;
      return this;
    }

    public Builder minTailRequests(int v) {
      minTailRequests = v;
      return this;
    }

    public Builder forest(RandomCutForestConfig v) {
      forest = v;
      return this;
    }

    public MonitorConfig build() {
      return new MonitorConfig(
          minRequests,
          baselineWindows,
          minBaselineWindows,
          zThreshold,
          strongZ,
          minLatencyChange,
          minLatencyMillis,
          minErrorRateChange,
          minErrors,
          minTailRequests,
          forest);
    }
  }
}

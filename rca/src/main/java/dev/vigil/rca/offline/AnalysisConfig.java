package dev.vigil.rca.offline;

import java.time.Duration;

/**
 * Knobs of an offline analysis. Build with {@link #builder()}; every value is checked when built.
 *
 * @param bin the width of the bins span observations are averaged over
 * @param normalWindow how far before the incident the normal window reaches
 * @param abnormalWindow how far after the incident the abnormal window reaches
 * @param minNormalPoints a series needs at least this many normal points to be scored
 * @param abnormalQuantile which quantile of the abnormal window stands for it (1 = the peak, as
 *     BARO; lower values ask for a sustained change)
 * @param maxCandidates how many ranked causes to return at most
 * @param onsetTolerance how long before the given incident time the fault may already have started
 *     (an alert fires after the onset, a person remembers it roughly): rankers that compare whole
 *     requests before and after (see {@link EventPatternRanker}) leave this much out of the normal
 *     window and count it as abnormal
 */
public record AnalysisConfig(
    Duration bin,
    Duration normalWindow,
    Duration abnormalWindow,
    int minNormalPoints,
    double abnormalQuantile,
    int maxCandidates,
    Duration onsetTolerance) {

  public static final Duration DEFAULT_BIN = Duration.ofSeconds(10);
  public static final Duration DEFAULT_NORMAL_WINDOW = Duration.ofHours(3);
  public static final Duration DEFAULT_ABNORMAL_WINDOW = Duration.ofMinutes(5);
  public static final int DEFAULT_MIN_NORMAL_POINTS = 2;
  public static final double DEFAULT_ABNORMAL_QUANTILE = 0.75;
  public static final int DEFAULT_MAX_CANDIDATES = 10;
  public static final Duration DEFAULT_ONSET_TOLERANCE = Duration.ofMinutes(2);

  public AnalysisConfig {
    requirePositive(bin, "bin");
    requirePositive(normalWindow, "normalWindow");
    requirePositive(abnormalWindow, "abnormalWindow");
    if (minNormalPoints < 1) {
      throw new IllegalArgumentException("minNormalPoints must be at least 1");
    }
    if (!(abnormalQuantile > 0 && abnormalQuantile <= 1)) {
      throw new IllegalArgumentException("abnormalQuantile must be in (0, 1]");
    }
    if (maxCandidates < 1) {
      throw new IllegalArgumentException("maxCandidates must be at least 1");
    }
    if (onsetTolerance == null || onsetTolerance.isNegative()) {
      throw new IllegalArgumentException(
          "onsetTolerance must be zero or a positive duration, got " + onsetTolerance);
    }
  }

  public static AnalysisConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
    }
  }

  /** Builder with the documented defaults. */
  public static final class Builder {
    private Duration bin = DEFAULT_BIN;
    private Duration normalWindow = DEFAULT_NORMAL_WINDOW;
    private Duration abnormalWindow = DEFAULT_ABNORMAL_WINDOW;
    private int minNormalPoints = DEFAULT_MIN_NORMAL_POINTS;
    private double abnormalQuantile = DEFAULT_ABNORMAL_QUANTILE;
    private int maxCandidates = DEFAULT_MAX_CANDIDATES;
    private Duration onsetTolerance = DEFAULT_ONSET_TOLERANCE;

    private Builder() {}

    public Builder bin(Duration v) {
      bin = v;
      return this;
    }

    public Builder normalWindow(Duration v) {
      normalWindow = v;
      return this;
    }

    public Builder abnormalWindow(Duration v) {
      abnormalWindow = v;
      return this;
    }

    public Builder minNormalPoints(int v) {
      minNormalPoints = v;
      return this;
    }

    public Builder abnormalQuantile(double v) {
      abnormalQuantile = v;
      return this;
    }

    public Builder maxCandidates(int v) {
      maxCandidates = v;
      return this;
    }

    public Builder onsetTolerance(Duration v) {
      onsetTolerance = v;
      return this;
    }

    public AnalysisConfig build() {
      return new AnalysisConfig(
          bin,
          normalWindow,
          abnormalWindow,
          minNormalPoints,
          abnormalQuantile,
          maxCandidates,
          onsetTolerance);
    }
  }
}

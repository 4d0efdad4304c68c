package dev.vigil.models.ensemble;

/**
 * Puts one detector's raw scores on a common scale: the z-score of each score against the running
 * mean and standard deviation of the scores before it (Welford), as Merlion's calibrators do before
 * its {@code alm_threshold} of 3. Reports 0 until {@code warmUp} scores were seen. O(1) per score.
 * Not thread-safe.
 */
public final class ScoreCalibrator {
  /** The calibrated score at which an ensemble member alarms (Merlion's default). */
  public static final double DEFAULT_ALARM_THRESHOLD = 3.0;

  /** Scores seen before calibrated scores are reported. */
  public static final int DEFAULT_WARM_UP = 30;

  private final int warmUp;
  private long count;
  private double mean;
  private double m2;

  public ScoreCalibrator(int warmUp) {
    if (warmUp < 2) {
      throw new IllegalArgumentException("warmUp must be at least 2");
    }
    this.warmUp = warmUp;
  }

  public ScoreCalibrator() {
    this(DEFAULT_WARM_UP);
  }

  /** The z-score of {@code raw} against the earlier scores, then learns it; NaN is ignored. */
  public double calibrate(double raw) {
    if (Double.isNaN(raw)) {
      return 0;
    }
    double z = 0;
    if (count >= warmUp) {
      double sd = Math.sqrt(m2 / (count - 1));
      z = (raw - mean) / Math.max(sd, 1e-9 * Math.max(1, Math.abs(mean)));
    }
    count++;
    double delta = raw - mean;
    mean += delta / count;
    m2 += delta * (raw - mean);
    return z;
  }
}

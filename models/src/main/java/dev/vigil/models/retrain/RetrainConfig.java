package dev.vigil.models.retrain;

import dev.vigil.models.Trainer;
import dev.vigil.models.iforest.IsolationForestConfig;

/**
 * Configuration of {@link ServiceRetrainer}. Build with {@link #builder()}; every value is checked
 * when built.
 *
 * @param holdOutShare the newest share of each service's windows kept out of training and used to
 *     evaluate candidates and the model in use
 * @param minWindows services with fewer windows are not retrained (too little history)
 * @param minImprovement a candidate replaces the model in use only if its F1 on the evaluation set
 *     is at least this much higher, or equal with fewer false alarms
 * @param latencyFactor injected latency faults multiply the latency features by this
 * @param errorRateIncrease injected error faults raise the error rate by this
 * @param svmNu the one-class SVM's nu: an upper bound on the share of training windows outside
 * @param svmGamma the RBF kernel's gamma over standardised features
 * @param maxFalseAlarmRate a candidate that flags more than this share of normal held-out windows
 *     is not promoted, whatever its F1 (the evaluation set has as many faults as normal windows;
 *     production does not)
 * @param forest the isolation forest's parameters
 * @param seed the random seed of every candidate
 */
public record RetrainConfig(
    double holdOutShare,
    int minWindows,
    double minImprovement,
    double latencyFactor,
    double errorRateIncrease,
    double svmNu,
    double svmGamma,
    double maxFalseAlarmRate,
    IsolationForestConfig forest,
    long seed) {

  public static final double DEFAULT_HOLD_OUT_SHARE = 0.25;
  public static final int DEFAULT_MIN_WINDOWS = 120;
  public static final double DEFAULT_MIN_IMPROVEMENT = 0.01;
  public static final double DEFAULT_LATENCY_FACTOR = 3;
  public static final double DEFAULT_ERROR_RATE_INCREASE = 0.2;
  public static final double DEFAULT_SVM_NU = 0.01;
  public static final double DEFAULT_SVM_GAMMA = 0.1;
  public static final double DEFAULT_MAX_FALSE_ALARM_RATE = 0.05;

  public RetrainConfig {
    check(holdOutShare > 0 && holdOutShare < 1, "holdOutShare must be in (0, 1)");
    check(minWindows >= 8, "minWindows must be at least 8");
    check(minImprovement >= 0, "minImprovement must not be negative");
    check(latencyFactor > 1, "latencyFactor must be greater than 1");
    check(errorRateIncrease > 0 && errorRateIncrease <= 1, "errorRateIncrease must be in (0, 1]");
    check(svmNu > 0 && svmNu < 1, "svmNu must be in (0, 1)");
    check(svmGamma > 0, "svmGamma must be greater than 0");
    check(maxFalseAlarmRate > 0 && maxFalseAlarmRate < 1, "maxFalseAlarmRate must be in (0, 1)");
    check(forest != null, "forest must not be null");
  }

  public static RetrainConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Builder with the documented defaults. */
  public static final class Builder {
    private double holdOutShare = DEFAULT_HOLD_OUT_SHARE;
    private int minWindows = DEFAULT_MIN_WINDOWS;
    private double minImprovement = DEFAULT_MIN_IMPROVEMENT;
    private double latencyFactor = DEFAULT_LATENCY_FACTOR;
    private double errorRateIncrease = DEFAULT_ERROR_RATE_INCREASE;
    private double svmNu = DEFAULT_SVM_NU;
    private double svmGamma = DEFAULT_SVM_GAMMA;
    private double maxFalseAlarmRate = DEFAULT_MAX_FALSE_ALARM_RATE;
    private IsolationForestConfig forest = IsolationForestConfig.defaults();
    private long seed = Trainer.DEFAULT_SEED;

    private Builder() {}

    public Builder holdOutShare(double v) {
      holdOutShare = v;
      return this;
    }

    public Builder minWindows(int v) {
      minWindows = v;
      return this;
    }

    public Builder minImprovement(double v) {
      minImprovement = v;
      return this;
    }

    public Builder latencyFactor(double v) {
      latencyFactor = v;
      return this;
    }

    public Builder errorRateIncrease(double v) {
      errorRateIncrease = v;
      return this;
    }

    public Builder svmNu(double v) {
      svmNu = v;
      return this;
    }

    public Builder svmGamma(double v) {
      svmGamma = v;
      return this;
    }

    public Builder maxFalseAlarmRate(double v) {
      maxFalseAlarmRate = v;
      return this;
    }

    public Builder forest(IsolationForestConfig v) {
      forest = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public RetrainConfig build() {
      return new RetrainConfig(
          holdOutShare,
          minWindows,
          minImprovement,
          latencyFactor,
          errorRateIncrease,
          svmNu,
          svmGamma,
          maxFalseAlarmRate,
          forest,
          seed);
    }
  }
}

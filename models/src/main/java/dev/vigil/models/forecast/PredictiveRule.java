package dev.vigil.models.forecast;

import dev.vigil.models.RobustBaseline;
import dev.vigil.models.internal.Medians;

/**
 * When a forecast that reaches a series' alert level becomes a predictive alert. A forecast is
 * anchored at the last value of its history, so on a flat noisy series one high window that is just
 * below the level is forecast to stay there, and a forecast a hair above the level follows (the
 * false predictive alerts of the demo's fault-free runs were all such marginal crossings, 0.2-3 %
 * above the level). So the crossing must be a forecast rise, not noise:
 *
 * <ol>
 *   <li>the forecast reaches the level plus {@code margin} times the series' noise (the robust
 *       standard deviation of its increments over the history, divided by the square root of 2: the
 *       spread of a value around its level);
 *   <li>the history rises significantly: its Mann-Kendall trend statistic (Mann 1945, Kendall 1975;
 *       normal approximation, no tie correction) is at least {@code trendZ};
 *   <li>both hold in {@code confirmations} consecutive windows.
 * </ol>
 *
 * @param margin noise units the forecast must pass the level by, at least 0
 * @param trendZ the Mann-Kendall z the history's rise must reach; 0 turns the test off
 * @param confirmations consecutive windows the crossing must be forecast in, at least 1
 */
public record PredictiveRule(double margin, double trendZ, int confirmations) {
  public static final double DEFAULT_MARGIN = 1;
  public static final double DEFAULT_TREND_Z = 2.33;
  public static final int DEFAULT_CONFIRMATIONS = 2;

  /** The documented defaults. */
  public static final PredictiveRule DEFAULT =
      new PredictiveRule(DEFAULT_MARGIN, DEFAULT_TREND_Z, DEFAULT_CONFIRMATIONS);

  /** The rule before these checks: the first forecast that reaches the level alerts. */
  public static final PredictiveRule FIRST_CROSSING = new PredictiveRule(0, 0, 1);

  public PredictiveRule {
    if (!(margin >= 0) || Double.isInfinite(margin)) {
      throw new IllegalArgumentException("margin must be a finite number >= 0, got " + margin);
    }
    if (!(trendZ >= 0) || Double.isInfinite(trendZ)) {
      throw new IllegalArgumentException("trendZ must be a finite number >= 0, got " + trendZ);
    }
    if (confirmations < 1) {
      throw new IllegalArgumentException("confirmations must be at least 1, got " + confirmations);
    }
  }

  /** The robust spread of the values of {@code h} around their level, from their increments. */
  static double noise(double[] h) {
    double[] d = new double[h.length - 1];
    for (int i = 1; i < h.length; i++) {
      d[i - 1] = h[i] - h[i - 1];
    }
    double median = Medians.sortingInPlace(d.clone());
    double[] dev = new double[d.length];
    for (int i = 0; i < d.length; i++) {
      dev[i] = Math.abs(d[i] - median);
    }
    return RobustBaseline.MAD_TO_SIGMA * Medians.sortingInPlace(dev) / Math.sqrt(2);
  }
}

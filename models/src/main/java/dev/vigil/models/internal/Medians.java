package dev.vigil.models.internal;

import java.util.Arrays;

/** The median, shared by the robust baselines, the seasonal bands and the predictive rule. */
public final class Medians {
  private Medians() {}

  /**
   * The median of values already sorted ascending; the mean of the middle two for an even count.
   */
  public static double ofSorted(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The median of {@code values}, which are sorted in place. */
  public static double sortingInPlace(double[] values) {
    Arrays.sort(values);
    return ofSorted(values);
  }
}

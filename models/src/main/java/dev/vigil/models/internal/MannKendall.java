package dev.vigil.models.internal;

/**
 * The Mann-Kendall trend statistic (Mann 1945, Kendall 1975), shared by the predictive rule and the
 * threshold detector's learning rule: the z of the number of rising minus falling pairs, in the
 * normal approximation without tie correction. O(n^2), for short series (tens of windows).
 */
public final class MannKendall {
  private MannKendall() {}

  /** The z of {@code h}, oldest first: positive for a rise, about 0 for noise. */
  public static double z(double[] h) {
    int n = h.length;
    long s = 0;
    for (int i = 0; i < n - 1; i++) {
      for (int j = i + 1; j < n; j++) {
        s += Double.compare(h[j], h[i]) > 0 ? 1 : (h[j] < h[i] ? -1 : 0);
      }
    }
    double var = n * (n - 1.0) * (2 * n + 5) / 18;
    if (s == 0 || var <= 0) {
      return 0;
    }
    return (s > 0 ? s - 1 : s + 1) / Math.sqrt(var);
  }
}

package dev.vigil.models.univariate;

/** The standard normal upper tail, from the complementary error function. */
final class Gaussian {
  private Gaussian() {}

  /** P(Z > z) for a standard normal Z. */
  static double upperTail(double z) {
    return 0.5 * erfc(z / Math.sqrt(2));
  }

  /**
   * The complementary error function, with fractional error below 1.2e-7 everywhere (Numerical
   * Recipes, 3rd ed., {@code erfccheb} precursor: Chebyshev fit of W. J. Cody's form).
   */
  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r =
        t
            * Math.exp(
                -z * z
                    - 1.26551223
                    + t
                        * (1.00002368
                            + t
                                * (0.37409196
                                    + t
                                        * (0.09678418
                                            + t
                                                * (-0.18628806
                                                    + t
                                                        * (0.27886807
                                                            + t
                                                                * (-1.13520398
                                                                    + t
                                                                        * (1.48851587
                                                                            + t
                                                                                * (-0.82215223
                                                                                    + t
                                                                                        * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }
}

package dev.vigil.nlq;

import java.util.Locale;

/** How numbers are written, the same in facts and answers, so that answers quote facts exactly. */
final class Format {
  private Format() {}

  static String ms(double millis) {
    return Double.isNaN(millis) ? "n/a" : String.format(Locale.ROOT, "%.1f ms", millis);
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
  }

  static String score(double score) {
    return String.format(Locale.ROOT, "%.2f", score);
  }
}

package dev.vigil.features;

import java.util.Locale;

/**
 * The OTLP log severity ranges: severity numbers 1-4 are TRACE, 5-8 DEBUG, 9-12 INFO, 13-16 WARN,
 * 17-20 ERROR, 21-24 FATAL, 0 unspecified.
 */
public enum SeverityClass {
  UNSPECIFIED,
  TRACE,
  DEBUG,
  INFO,
  WARN,
  ERROR,
  FATAL;

  private static final SeverityClass[] VALUES = values();

  /**
   * The class of a severity number; when the number is unspecified (0), of the severity text as the
   * OTLP data model maps common level names (so that a log shipped without a parsed severity number
   * but with {@code ERROR} as text still counts as an error). Numbers above 24 are FATAL.
   */
  public static SeverityClass of(int severityNumber, String severityText) {
    if (severityNumber > 0) {
      return VALUES[Math.min(FATAL.ordinal(), (severityNumber - 1) / 4 + 1)];
    }
    return severityText == null ? UNSPECIFIED : ofText(severityText);
  }

  private static SeverityClass ofText(String text) {
    String t = text.strip().toUpperCase(Locale.ROOT);
    if (t.startsWith("TRACE")) {
      return TRACE;
    } else if (t.startsWith("DEBUG")) {
      return DEBUG;
    } else if (t.startsWith("INFO") || t.equals("NOTICE")) {
      return INFO;
    } else if (t.startsWith("WARN")) {
      return WARN;
    } else if (t.startsWith("ERR")) {
      return ERROR;
    } else if (t.startsWith("FATAL")
        || t.startsWith("CRIT")
        || t.equals("ALERT")
        || t.startsWith("EMERG")
        || t.equals("PANIC")) {
      return FATAL;
    }
    return UNSPECIFIED;
  }

  /** ERROR or FATAL. */
  public boolean isError() {
    return this == ERROR || this == FATAL;
  }

  /** The lower-case name used in feature names. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

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

  /**
   * The class of a log record: from its severity number or text ({@link #of(int, String)}), else
   * inferred from its line: the first of its leading {@value #LEVEL_TOKENS} tokens that names a
   * level in upper case or as a key's value ({@code ERROR}, {@code [WARN]}, {@code level=error}),
   * as a log shipper's severity parser would. UNSPECIFIED when none does.
   */
  public static SeverityClass of(int severityNumber, String severityText, String line) {
    SeverityClass c = of(severityNumber, severityText);
    return c == UNSPECIFIED && line != null ? inferFromLine(line) : c;
  }

  /** How many leading tokens of a line {@link #inferFromLine} looks at. */
  public static final int LEVEL_TOKENS = 6;

  /** The level named by one of the first {@value #LEVEL_TOKENS} tokens of a line, if any. */
  public static SeverityClass inferFromLine(String line) {
    int start = 0;
    for (int k = 0; k < LEVEL_TOKENS; k++) {
      while (start < line.length() && Character.isWhitespace(line.charAt(start))) {
        start++;
      }
      if (start >= line.length() || line.charAt(start) == '\n') {
        return UNSPECIFIED;
      }
      int end = start;
      while (end < line.length() && !Character.isWhitespace(line.charAt(end))) {
        end++;
      }
      String token = line.substring(start, end);
      int eq = token.indexOf('=');
      if (eq >= 0) {
        token = token.substring(eq + 1);
      }
      token = token.replaceAll("^[\\[(<\"']+|[\\])>\"':,]+$", "");
      // A level is upper case (ERROR, [WARN]) or the value of a key (level=error); a lower-case
      // word in prose ("the error was") is not one.
      boolean levelLike = eq >= 0 || token.equals(token.toUpperCase(Locale.ROOT));
      SeverityClass c = levelLike ? exactLevel(token) : UNSPECIFIED;
      if (c != UNSPECIFIED) {
        return c;
      }
      start = end;
    }
    return UNSPECIFIED;
  }

  private static SeverityClass exactLevel(String token) {
    return switch (token.toUpperCase(Locale.ROOT)) {
      case "TRACE" -> TRACE;
      case "DEBUG" -> DEBUG;
      case "INFO", "NOTICE" -> INFO;
      case "WARN", "WARNING" -> WARN;
      case "ERROR", "ERR" -> ERROR;
      case "FATAL", "CRITICAL", "CRIT", "PANIC", "EMERG", "ALERT", "SEVERE" -> FATAL;
      default -> UNSPECIFIED;
    };
  }

  /** The lowest OTLP severity number of the class, 0 for UNSPECIFIED. */
  public int severityNumber() {
    return this == UNSPECIFIED ? 0 : (ordinal() - 1) * 4 + 1;
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

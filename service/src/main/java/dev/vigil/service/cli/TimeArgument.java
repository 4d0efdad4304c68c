package dev.vigil.service.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time on the command line: {@code now}; a time before now, {@code -2h} or {@code
 * now-2h} (units {@code ms}, {@code s}, {@code m}, {@code h}, {@code d}); an ISO-8601 instant or
 * date-time with offset, {@code 2026-03-02T09:00:00Z}, {@code 2026-03-02T10:00:00+01:00}; or a
 * date, {@code 2026-03-02} (its start, UTC). {@code now} is the injected clock's.
 */
final class TimeArgument {
  static final String FORMS =
      "now, -2h or now-2h (units ms, s, m, h, d), an ISO-8601 instant such as"
          + " 2026-03-02T09:00:00Z or 2026-03-02T10:00:00+01:00, or a date such as 2026-03-02 (UTC)";
  private static final Pattern RELATIVE = Pattern.compile("(?:now)?-(\\d+)(ms|s|m|h|d)");

  private TimeArgument() {}

  /**
   * @param option the option, for the message ({@code from})
   * @throws UsageException naming the option and the accepted forms
   */
  static Instant parse(String option, String text, Instant now) throws UsageException {
    String v = text.trim();
    if (v.equals("now")) {
      return now;
    }
    Matcher m = RELATIVE.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
      return now.minus(d);
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException notDateTime) {
      try {
        return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notDate) {
        throw new UsageException("--" + option + " '" + text + "' is not a time; give " + FORMS);
      }
    }
  }
}

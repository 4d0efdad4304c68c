package dev.vigil.nlq;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the time range a question names, in English or Chinese, relative to the current event time:
 * "last 15 minutes", "past hour", "since 10:00", "yesterday", "today", "过去1小时", "最近半小时", "从10点开始",
 * "昨天". Clock times are read in the zone given (UTC by default). A question that names no range
 * gets {@link #DEFAULT_RANGE}. A comparison target ("than an hour ago", "与昨天相比") is read apart, as
 * the range shifted back.
 */
final class TimeRangeParser {

  /** The range of a question that names none. */
  static final Duration DEFAULT_RANGE = Duration.ofHours(1);

  private static final String NUM_ZH = "[0-9一二两三四五六七八九十半]+";
  private static final Pattern LAST_EN =
      Pattern.compile(
          "\\b(?:last|past|previous|recent)\\s+(?:(\\d+|an?|one|two|three|five|ten|fifteen|thirty)\\s*)?"
              + "(minutes?|mins?|m|hours?|hrs?|h|days?|d)\\b");
  private static final Pattern AGO_EN =
      Pattern.compile(
          "\\b(\\d+|an?|one|two|three)\\s*(minutes?|mins?|hours?|hrs?|days?)\\s+ago\\b");
  private static final Pattern SINCE_EN =
      Pattern.compile("\\bsince\\s+(\\d{1,2})(?::(\\d{2}))?\\s*(am|pm)?(?![\\d-])");
  private static final Pattern LAST_ZH =
      Pattern.compile("(?:过去|最近|近|前)\\s*(" + NUM_ZH + ")?\\s*(?:个)?\\s*(分钟|小时|钟头|天)");
  private static final Pattern AGO_ZH =
      Pattern.compile("(" + NUM_ZH + ")\\s*(?:个)?\\s*(分钟|小时|钟头|天)(?:之|以)?前");
  private static final Pattern SINCE_ZH =
      Pattern.compile(
          "(?:从|自)\\s*(?:今天|早上|上午|下午|晚上)?\\s*(\\d{1,2})\\s*(?:[:：](\\d{2})|点(?:(\\d{1,2})分?|半)?)"
              + "|(\\d{1,2})\\s*(?:[:：](\\d{2})|点(?:(\\d{1,2})分?|半)?)\\s*(?:以来|之后|开始|起)");

  private final ZoneId zone;

  TimeRangeParser(ZoneId zone) {
    this.zone = zone;
  }

  /** The range named in the (lower-cased) text, ending at {@code now}; the default if none. */
  TimeRange range(String text, Instant now, boolean chinese) {
    TimeRange named = named(text, now, chinese);
    return named != null
        ? named
        : new TimeRange(now.minus(DEFAULT_RANGE), now, pastLabel(DEFAULT_RANGE, chinese));
  }

  /** The range named in the (lower-cased) text, ending at {@code now}, or null if it names none. */
  TimeRange named(String text, Instant now, boolean chinese) {
    Matcher m = LAST_EN.matcher(text);
    if (m.find()) {
      Duration d = duration(m.group(1), m.group(2));
      return new TimeRange(now.minus(d), now, pastLabel(d, false));
    }
    m = LAST_ZH.matcher(text);
    if (m.find()) {
      Duration d = durationZh(m.group(1), m.group(2));
      return new TimeRange(now.minus(d), now, pastLabel(d, true));
    }
    m = SINCE_EN.matcher(text);
    if (m.find()) {
      int hour = Integer.parseInt(m.group(1));
      if ("pm".equals(m.group(3)) && hour < 12) {
        hour += 12;
      } else if ("am".equals(m.group(3)) && hour == 12) {
        hour = 0;
      }
      int minute = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
      return since(now, hour, minute, chinese);
    }
    m = SINCE_ZH.matcher(text);
    if (m.find()) {
      boolean first = m.group(1) != null;
      int hour = Integer.parseInt(first ? m.group(1) : m.group(4));
      String mm =
          first ? firstNonNull(m.group(2), m.group(3)) : firstNonNull(m.group(5), m.group(6));
      int minute = mm != null ? Integer.parseInt(mm) : m.group().contains("半") ? 30 : 0;
      if (m.group().matches(".*(下午|晚上).*") && hour < 12) {
        hour += 12;
      }
      return since(now, hour, minute, chinese);
    }
    ZonedDateTime today = now.atZone(zone).toLocalDate().atStartOfDay(zone);
    if (text.contains("yesterday") || text.contains("昨天") || text.contains("昨日")) {
      return new TimeRange(
          today.minusDays(1).toInstant(), today.toInstant(), chinese ? "昨天" : "yesterday");
    }
    if (text.contains("today") || text.contains("今天")) {
      return new TimeRange(today.toInstant(), now, chinese ? "今天" : "today");
    }
    return null;
  }

  /**
   * How far back a comparison looks ("than an hour ago", "vs yesterday", "和昨天比"), or null when the
   * text names none.
   */
  static Duration comparisonOffset(String text) {
    Matcher m = AGO_EN.matcher(text);
    if (m.find()) {
      return duration(m.group(1), m.group(2));
    }
    m = AGO_ZH.matcher(text);
    if (m.find()) {
      return durationZh(m.group(1), m.group(2));
    }
    if (text.contains("yesterday") || text.contains("昨天") || text.contains("昨日")) {
      return Duration.ofDays(1);
    }
    if (text.contains("last week") || text.contains("上周")) {
      return Duration.ofDays(7);
    }
    return null;
  }

  private TimeRange since(Instant now, int hour, int minute, boolean chinese) {
    LocalDate day = now.atZone(zone).toLocalDate();
    ZonedDateTime from = day.atTime(LocalTime.of(hour % 24, minute % 60)).atZone(zone);
    if (from.toInstant().isAfter(now)) {
      from = from.minusDays(1);
    }
    String hhmm = String.format(Locale.ROOT, "%02d:%02d", hour % 24, minute % 60);
    return new TimeRange(from.toInstant(), now, chinese ? "从 " + hhmm + " 起" : "since " + hhmm);
  }

  static String pastLabel(Duration d, boolean chinese) {
    long minutes = d.toMinutes();
    if (chinese) {
      if (minutes % (24 * 60) == 0) {
        return "过去" + minutes / (24 * 60) + "天";
      }
      return minutes % 60 == 0 ? "过去" + minutes / 60 + "小时" : "过去" + minutes + "分钟";
    }
    if (minutes % (24 * 60) == 0) {
      long days = minutes / (24 * 60);
      return days == 1 ? "past day" : "past " + days + " days";
    }
    if (minutes % 60 == 0) {
      long h = minutes / 60;
      return h == 1 ? "past hour" : "past " + h + " hours";
    }
    return "past " + minutes + " minutes";
  }

  private static Duration duration(String count, String unit) {
    long n = count == null ? 1 : englishNumber(count);
    if (unit.startsWith("m")) {
      return Duration.ofMinutes(n);
    }
    if (unit.startsWith("d")) {
      return Duration.ofDays(n);
    }
    return Duration.ofHours(n);
  }

  private static long englishNumber(String s) {
    return switch (s) {
      case "a", "an", "one" -> 1;
      case "two" -> 2;
      case "three" -> 3;
      case "five" -> 5;
      case "ten" -> 10;
      case "fifteen" -> 15;
      case "thirty" -> 30;
      default -> Long.parseLong(s);
    };
  }

  private static Duration durationZh(String count, String unit) {
    if ("半".equals(count)) {
      return switch (unit) {
        case "天" -> Duration.ofHours(12);
        case "小时", "钟头" -> Duration.ofMinutes(30);
        default -> Duration.ofSeconds(30);
      };
    }
    long n = count == null ? 1 : chineseNumber(count);
    return switch (unit) {
      case "分钟" -> Duration.ofMinutes(n);
      case "天" -> Duration.ofDays(n);
      default -> Duration.ofHours(n);
    };
  }

  /** Arabic digits or Chinese numerals up to 99 ("十五", "二十", "两"). */
  static long chineseNumber(String s) {
    if (s.chars().allMatch(Character::isDigit)) {
      return Long.parseLong(s);
    }
    String digits = "零一二三四五六七八九";
    long total = 0;
    long current = 0;
    for (char c : s.toCharArray()) {
      if (c == '两') {
        current = 2;
      } else if (c == '十') {
        total += (current == 0 ? 1 : current) * 10;
        current = 0;
      } else if (digits.indexOf(c) >= 0) {
        current = digits.indexOf(c);
      }
    }
    return Math.max(1, total + current);
  }

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }
}

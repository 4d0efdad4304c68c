package dev.vigil.nlq;

import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts service, intent and time range from English or Chinese questions with rules: the
 * vocabulary of diagnostics is small, and rules are predictable and need no model. Service names
 * are matched against the known services, longest first, also with '-' read as a space.
 */
public final class QuestionParser {
  public static final Duration DEFAULT_RANGE = Duration.ofHours(1);

  private static final Pattern RANGE_EN =
      Pattern.compile("(?:past|last)\\s+(\\d+)?\\s*(minute|min|hour|hr|day)s?");
  private static final Pattern RANGE_ZH = Pattern.compile("(?:过去|最近)\\s*(\\d+)?\\s*(分钟|小时|天)");
  private static final Pattern CJK = Pattern.compile("\\p{IsHan}");
  private static final Pattern LATENCY =
      Pattern.compile("slow|latenc|lag|timeout|time out|response time|duration|慢|延迟|耗时|响应");
  private static final Pattern ERRORS =
      Pattern.compile("error|fail|5\\d\\d|exception|crash|broken|错误|失败|报错|异常");

  private QuestionParser() {}

  public static Question parse(String text, Set<String> services) {
    String lower = text.toLowerCase(Locale.ROOT);
    boolean chinese = CJK.matcher(text).find();
    Question.Intent intent =
        LATENCY.matcher(lower).find()
            ? Question.Intent.LATENCY
            : ERRORS.matcher(lower).find() ? Question.Intent.ERRORS : Question.Intent.GENERAL;
    return new Question(text, service(lower, services), intent, range(lower), chinese);
  }

  static String service(String lower, Set<String> services) {
    return services.stream()
        .sorted(Comparator.comparingInt(String::length).reversed())
        .filter(
            s -> {
              String name = s.toLowerCase(Locale.ROOT);
              return lower.contains(name) || lower.contains(name.replace('-', ' '));
            })
        .findFirst()
        .orElse(null);
  }

  static Duration range(String lower) {
    Matcher en = RANGE_EN.matcher(lower);
    if (en.find()) {
      long n = en.group(1) == null ? 1 : Long.parseLong(en.group(1));
      return switch (en.group(2)) {
        case "minute", "min" -> Duration.ofMinutes(n);
        case "day" -> Duration.ofDays(n);
        default -> Duration.ofHours(n);
      };
    }
    Matcher zh = RANGE_ZH.matcher(lower);
    if (zh.find()) {
      long n = zh.group(1) == null ? 1 : Long.parseLong(zh.group(1));
      return switch (zh.group(2)) {
        case "分钟" -> Duration.ofMinutes(n);
        case "天" -> Duration.ofDays(n);
        default -> Duration.ofHours(n);
      };
    }
    return DEFAULT_RANGE;
  }
}

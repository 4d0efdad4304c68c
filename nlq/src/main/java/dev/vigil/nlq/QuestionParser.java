package dev.vigil.nlq;

import dev.vigil.features.OperationFeatures;
import dev.vigil.features.WindowFeatures;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a question in English or Chinese into an intent, the services and operation it names, its
 * time range and, for a comparison, the range to compare with. Rules, not a model: the vocabulary
 * of diagnosis is small, rules are predictable, fast and testable, and names are matched against
 * the live services and operations ({@link NameMatcher}). A follow-up ("and yesterday?", "what
 * about its callers?", "那昨天呢") takes what it does not say from the previous question.
 */
public final class QuestionParser {

  private static final Pattern CJK = Pattern.compile("\\p{IsHan}");
  private static final Pattern REFERENCE =
      Pattern.compile("\\b(inc-\\d+|alert-\\d+)\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern LATENCY =
      Pattern.compile(
          "slow|latenc|lag|time ?out|timing out|response time|duration|p9[59]|慢|延迟|耗时|响应|卡");
  private static final Pattern ERRORS =
      Pattern.compile("error|fail|5\\d\\d|5xx|exception|crash|broken|down\\b|错误|失败|报错|异常|挂");
  private static final Pattern EXPLAIN =
      Pattern.compile(
          "explain|describe|what (?:is|was|happened in)|tell me about|details|解释|说明|详情|介绍");
  private static final Pattern NEXT =
      Pattern.compile(
          "check next|next step|what should i (?:check|do|look)|where should i look|what to check|what do i do|how (?:do|can) i fix|下一步|接下来|应该(?:检查|查|做)|该(?:检查|查)|怎么办|如何处理|排查");
  private static final Pattern TRACES =
      Pattern.compile("\\btraces?\\b|trace ids?|exemplar|追踪|链路|调用链|trace");
  private static final Pattern COMPARE =
      Pattern.compile(
          "compar|\\bvs\\.?\\b|versus|than (?:an? |\\d+ |one )?(?:hour|day|minute|yesterday)|than yesterday|side by side|相比|对比|比较|比一下|和.{0,8}比|跟.{0,8}比|比.{0,10}(?:前|昨天|之前|以前)");

  /** A verb of causing: "what is hurting X", "who is to blame", "是谁拖慢了 X". */
  private static final Pattern CAUSAL =
      Pattern.compile(
          "\\bhurt(?:s|ing)?\\b|\\bcaus(?:es|ing|ed)\\b|\\bblame|responsible for|slow(?:s|ing)? (?:\\w+ )?down|\\bculprit|拖慢|拖累|导致|引起|造成|罪魁|元凶");

  private static final Pattern CHANGES =
      Pattern.compile(
          "what(?:'s| has| have)? changed|what is different|changes? in|what's new|anything new|变化|变了|改变|什么不同|有什么变");
  private static final Pattern IMPACT =
      Pattern.compile(
          "affected|impact|blast radius|how bad|how badly|how many|who is hurt|which services|影响|波及|受影响|哪些服务|多严重|严重程度");
  private static final Pattern HEALTH =
      Pattern.compile(
          "healthy|health|\\bok\\b|okay|fine|\\bup\\b|status|how is|how's|doing|normal|健康|正常|状态|还好|怎么样|有问题吗|有没有问题");
  private static final Pattern NEIGHBOURS =
      Pattern.compile(
          "callers?|callees?|upstream|downstream|who calls|depends on|dependenc|neighbou?rs|调用方|上游|下游|依赖|谁调用");
  private static final Pattern FOLLOW_UP =
      Pattern.compile(
          "^\\s*(?:and|what about|how about|and what about|same for|also)\\b|^\\s*(?:那|还有|那么)|呢[?？]?\\s*$|\\bits\\b|\\bthem\\b|它|他们");

  /** What "now" means in a comparison that names no range. */
  public static final Duration DEFAULT_COMPARE_RANGE = Duration.ofMinutes(5);

  private final ZoneId zone;
  private final TimeRangeParser ranges;

  private QuestionParser(ZoneId zone) {
    this.zone = zone;
    this.ranges = new TimeRangeParser(zone);
  }

  /** A parser that reads clock times ("since 10:00") in UTC. */
  public static QuestionParser utc() {
    return new QuestionParser(ZoneOffset.UTC);
  }

  /** A parser that reads clock times in the given zone. */
  public static QuestionParser in(ZoneId zone) {
    return new QuestionParser(zone);
  }

  /**
   * Loads the embedding model used to match names by meaning, so the first question does not wait
   * for it (seconds); call it from a background thread at start-up.
   *
   * @return whether matching by meaning is available on this platform
   */
  public static boolean warmUp() {
    return SemanticNames.warmUp();
  }

  public ZoneId zone() {
    return zone;
  }

  /** Parses a question asked on its own. */
  public Question parse(String text, LiveState state) {
    return parse(text, state, null);
  }

  /**
   * Parses a question, taking what a follow-up leaves out from the previous question.
   *
   * @param previous the previous question of the conversation, or null
   */
  public Question parse(String text, LiveState state, Question previous) {
    String lower = text.toLowerCase(Locale.ROOT).strip();
    boolean chinese = CJK.matcher(text).find();
    Instant now = state.now();
    NameMatcher.Names names = new NameMatcher(state.services(), operations(state)).match(text);
    Matcher ref = REFERENCE.matcher(lower);
    String reference = ref.find() ? ref.group(1).toLowerCase(Locale.ROOT) : null;
    String symptom =
        LATENCY.matcher(lower).find()
            ? Question.LATENCY
            : ERRORS.matcher(lower).find() ? Question.ERRORS : Question.ANY;
    Duration offset = TimeRangeParser.comparisonOffset(lower);
    boolean compare = COMPARE.matcher(lower).find();
    Intent intent = intent(lower, reference, compare);
    TimeRange range;
    TimeRange baseline = null;
    if (intent == Intent.COMPARE) {
      // "X now compared with an hour ago": the named range (or the default) against its shift.
      String withoutTarget = lower.replaceAll("yesterday|昨天|昨日", " ");
      range = ranges.named(withoutTarget, now, chinese);
      if (range == null) {
        // "now": the most recent minutes.
        range =
            new TimeRange(
                now.minus(DEFAULT_COMPARE_RANGE),
                now,
                TimeRangeParser.pastLabel(DEFAULT_COMPARE_RANGE, chinese));
      }
      Duration back = offset != null ? offset : range.length();
      baseline = range.shiftedBack(back, baselineLabel(back, chinese));
    } else {
      range = ranges.range(lower, now, chinese);
    }
    List<String> services = names.services();
    String unknown = names.unknown();
    boolean followUp =
        previous != null
            && (FOLLOW_UP.matcher(lower).find() || lower.length() < 25)
            && services.isEmpty()
            && unknown == null
            && reference == null;
    if (followUp) {
      services = previous.services();
      boolean onlyTime = !intentNamed(lower) && symptom.equals(Question.ANY);
      if (onlyTime) {
        // "and yesterday?": the same question over another range.
        intent = previous.intent();
        symptom = previous.symptom();
        if (intent == Intent.COMPARE) {
          baseline = previous.baseline();
        }
      }
      if (reference == null && intent == Intent.EXPLAIN) {
        reference = previous.reference();
      }
    }
    return new Question(
        text,
        intent,
        symptom,
        services,
        names.operation(),
        unknown,
        range,
        baseline,
        reference,
        chinese);
  }

  private static Intent intent(String lower, String reference, boolean compare) {
    if (reference != null && !NEXT.matcher(lower).find()) {
      return Intent.EXPLAIN;
    }
    if (NEXT.matcher(lower).find()) {
      return Intent.NEXT_STEPS;
    }
    boolean traces = TRACES.matcher(lower).find();
    if (CAUSAL.matcher(lower).find() && !traces && !compare) {
      // "which dependency is hurting X": who is to blame, not who the neighbours are.
      return Intent.ROOT_CAUSE;
    }
    if (NEIGHBOURS.matcher(lower).find()) {
      return Intent.NEIGHBOURS;
    }
    if (traces) {
      return Intent.TRACES;
    }
    if (compare) {
      return Intent.COMPARE;
    }
    if (CHANGES.matcher(lower).find()) {
      return Intent.CHANGES;
    }
    if (IMPACT.matcher(lower).find()) {
      return Intent.IMPACT;
    }
    if (HEALTH.matcher(lower).find()
        && !LATENCY.matcher(lower).find()
        && !ERRORS.matcher(lower).find()) {
      return Intent.HEALTH;
    }
    return Intent.ROOT_CAUSE;
  }

  /** Whether the text names an intent of its own (not only a time or a service). */
  private static boolean intentNamed(String lower) {
    return NEXT.matcher(lower).find()
        || NEIGHBOURS.matcher(lower).find()
        || TRACES.matcher(lower).find()
        || CHANGES.matcher(lower).find()
        || IMPACT.matcher(lower).find()
        || HEALTH.matcher(lower).find()
        || lower.contains("why")
        || lower.contains("为什么")
        || lower.contains("root cause")
        || lower.contains("根因");
  }

  private static String baselineLabel(Duration back, boolean chinese) {
    long minutes = back.toMinutes();
    if (minutes == 24 * 60) {
      return chinese ? "昨天同一时段" : "the same time yesterday";
    }
    if (minutes == 60) {
      return chinese ? "1小时前" : "an hour earlier";
    }
    String ago = TimeRangeParser.pastLabel(back, chinese);
    return chinese ? ago.replace("过去", "") + "前" : ago.replace("past ", "") + " earlier";
  }

  /** The operations of the recent windows, by name. */
  static Set<String> operations(LiveState state) {
    Set<String> out = new TreeSet<>();
    Instant now = state.now();
    for (WindowFeatures w : state.windows(now.minus(Duration.ofHours(1)), now.plusSeconds(1))) {
      for (OperationFeatures o : w.operations()) {
        out.add(o.operation());
      }
    }
    return out;
  }
}

package dev.vigil.nlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuestionParserTest {
  private static final QuestionParser PARSER = QuestionParser.utc();

  private static Question parse(String text) {
    return PARSER.parse(text, Fixtures.withIncident());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "why is frontend slow? | root_cause | frontend",
        "为什么过去1小时 frontend 响应变慢了? | root_cause | frontend",
        "what is the root cause now? | root_cause | ",
        "which services are affected and how badly? | impact | ",
        "哪些服务受影响？ | impact | ",
        "is cart healthy? | health | cart",
        "cart 健康吗？ | health | cart",
        "what changed in the last 15 minutes? | changes | ",
        "过去30分钟有什么变化？ | changes | ",
        "compare catalog now with an hour ago | compare | catalog",
        "catalog 和昨天相比怎么样？ | compare | catalog",
        "show slow traces of catalog-db | traces | catalog-db",
        "给我看 payment 的失败链路 | traces | payment",
        "explain incident inc-7 | explain | ",
        "解释一下告警 alert-3 | explain | ",
        "what should I check next? | next_steps | ",
        "下一步应该检查什么？ | next_steps | ",
        "who calls catalog? | neighbours | catalog",
        "what is slowing cart down? | root_cause | cart",
        "is a dependency of frontend to blame? | root_cause | frontend",
        "是什么导致 cart 变慢？ | root_cause | cart",
        "cart 比一小时前慢吗 | compare | cart",
        "what's new in the last 10 minutes? | changes | ",
      })
  void readsIntentAndService(String text, String intent, String service) {
    Question q = parse(text);
    assertThat(q.intent().id()).isEqualTo(intent);
    assertThat(q.service()).isEqualTo(service);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "why is catalgo slow? | catalog",
        "why is the catalog db slow? | catalog-db",
        "why is catalog_db slow? | catalog-db",
        "is catalogdb ok? | catalog-db",
        "why is paymnet failing? | payment",
        "why is fronten slow? | frontend",
        "为什么 cart-db 慢 | ",
        "why is cart-db slow? | ",
      })
  void matchesNamesBySpellingAndWordBoundary(String text, String service) {
    assertThat(parse(text).service()).isEqualTo(service);
  }

  @Test
  void aShortNameIsNotFoundInsideAnotherWord() {
    var state =
        new DiagnosticContext(
            Fixtures.NOW, java.util.Set.of("ad", "cart"), java.util.List.of(), java.util.Map.of());
    assertThat(PARSER.parse("why is the load so bad?", state).services()).isEmpty();
    assertThat(PARSER.parse("why is ad slow?", state).service()).isEqualTo("ad");
  }

  @Test
  void anOrdinaryWordTwoEditsFromANameIsNotThatName() {
    var state =
        new DiagnosticContext(
            Fixtures.NOW,
            java.util.Set.of("currency", "recommendation", "frontend"),
            java.util.List.of(),
            java.util.Map.of());
    assertThat(PARSER.parse("what's the culprit behind the current problem?", state).services())
        .isEmpty();
    // Where a service is expected, two edits are still read as a typo of a long name.
    assertThat(PARSER.parse("why is recomendaton slow?", state).service())
        .isEqualTo("recommendation");
    assertThat(PARSER.parse("why is curency slow?", state).service()).isEqualTo("currency");
  }

  @Test
  void aLatinWordInAChineseQuestionThatIsNoServiceIsReportedUnknown() {
    Question q = parse("inventory 这个服务怎么了？");
    assertThat(q.services()).isEmpty();
    assertThat(q.unknownService()).isEqualTo("inventory");
    assertThat(parse("CPU 使用率高吗？").unknownService()).isNull();
  }

  @Test
  void anUnknownServiceIsReportedNotReplaced() {
    Question q = parse("why is inventory slow?");
    assertThat(q.services()).isEmpty();
    assertThat(q.unknownService()).isEqualTo("inventory");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "why is cart slow in the last 15 minutes? | 2026-11-25T09:45:00Z | 2026-11-25T10:00:00Z",
        "why was cart slow in the past 2 hours? | 2026-11-25T08:00:00Z | 2026-11-25T10:00:00Z",
        "why is cart slow since 9:30? | 2026-11-25T09:30:00Z | 2026-11-25T10:00:00Z",
        "why is cart slow since 2pm? | 2026-11-24T14:00:00Z | 2026-11-25T10:00:00Z",
        "was cart slow yesterday? | 2026-11-24T00:00:00Z | 2026-11-25T00:00:00Z",
        "为什么过去1小时 cart 变慢了 | 2026-11-25T09:00:00Z | 2026-11-25T10:00:00Z",
        "最近半小时 cart 慢吗 | 2026-11-25T09:30:00Z | 2026-11-25T10:00:00Z",
        "过去十五分钟 cart 有错误吗 | 2026-11-25T09:45:00Z | 2026-11-25T10:00:00Z",
        "从9点开始 cart 为什么慢 | 2026-11-25T09:00:00Z | 2026-11-25T10:00:00Z",
        "cart 昨天慢吗 | 2026-11-24T00:00:00Z | 2026-11-25T00:00:00Z",
        "why is cart slow? | 2026-11-25T09:00:00Z | 2026-11-25T10:00:00Z",
      })
  void readsTimeRanges(String text, String from, String to) {
    Question q = parse(text);
    assertThat(q.range().from()).isEqualTo(Instant.parse(from));
    assertThat(q.range().to()).isEqualTo(Instant.parse(to));
  }

  @Test
  void aComparisonHasABaselineShiftedBack() {
    Question q = parse("compare catalog in the last 15 minutes with an hour ago");
    assertThat(q.range().length()).isEqualTo(Duration.ofMinutes(15));
    assertThat(q.baseline().to()).isEqualTo(q.range().to().minus(Duration.ofHours(1)));
    Question y = parse("catalog now compared with yesterday");
    assertThat(y.baseline().from()).isEqualTo(y.range().from().minus(Duration.ofDays(1)));
  }

  @Test
  void aFollowUpTakesWhatItLeavesOutFromThePreviousQuestion() {
    Question first = parse("why is frontend slow in the last 15 minutes?");
    Question next = PARSER.parse("and yesterday?", Fixtures.withIncident(), first);
    assertThat(next.service()).isEqualTo("frontend");
    assertThat(next.intent()).isEqualTo(Intent.ROOT_CAUSE);
    assertThat(next.range().label()).isEqualTo("yesterday");
    Question callers =
        PARSER.parse(
            "what about its callers?", Fixtures.withIncident(), parse("is catalog healthy?"));
    assertThat(callers.service()).isEqualTo("catalog");
    assertThat(callers.intent()).isEqualTo(Intent.NEIGHBOURS);
    Question zh = PARSER.parse("那昨天呢？", Fixtures.withIncident(), parse("cart 健康吗"));
    assertThat(zh.service()).isEqualTo("cart");
    assertThat(zh.intent()).isEqualTo(Intent.HEALTH);
  }
}

package dev.vigil.nlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuestionParserTest {
  private static final Set<String> SERVICES = Set.of("cart", "cart-db", "checkout", "frontend");

  @Test
  void findsServiceIntentAndRangeInEnglish() {
    Question q = QuestionParser.parse("Why is checkout slow in the past 3 hours?", SERVICES);
    assertThat(q.service()).isEqualTo("checkout");
    assertThat(q.intent()).isEqualTo(Question.Intent.LATENCY);
    assertThat(q.range()).isEqualTo(Duration.ofHours(3));
    assertThat(q.chinese()).isFalse();
  }

  @Test
  void prefersTheLongestServiceNameAndReadsDashesAsSpaces() {
    assertThat(QuestionParser.parse("is the cart db failing?", SERVICES).service())
        .isEqualTo("cart-db");
    assertThat(QuestionParser.parse("errors in cart-db", SERVICES).intent())
        .isEqualTo(Question.Intent.ERRORS);
  }

  @Test
  void understandsChinese() {
    Question q = QuestionParser.parse("为什么过去1小时我的服务响应变慢了?", SERVICES);
    assertThat(q.chinese()).isTrue();
    assertThat(q.intent()).isEqualTo(Question.Intent.LATENCY);
    assertThat(q.range()).isEqualTo(Duration.ofHours(1));
    assertThat(q.service()).isNull();
    assertThat(QuestionParser.parse("过去30分钟 checkout 报错", SERVICES).range())
        .isEqualTo(Duration.ofMinutes(30));
  }
}

package dev.vigil.nlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateAnswererTest {
  @Test
  void namesTheRootCauseWithItsNumbersAndCitesTheIncidentAndTraces() {
    Answer a =
        DiagnosticAnswerer.offline().answer("why is frontend slow?", Fixtures.withIncident());
    assertThat(a.rootCause()).isEqualTo("catalog-db");
    assertThat(a.text()).contains("frontend is slow", "catalog-db", "3.0 ms to 205.0 ms", "inc-7");
    assertThat(a.citations()).containsExactly("inc-7", "4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void answersInChineseWhenAskedInChinese() {
    Answer a =
        DiagnosticAnswerer.offline().answer("为什么过去1小时 frontend 响应变慢了?", Fixtures.withIncident());
    assertThat(a.text())
        .contains("根因是 catalog-db", "事件 inc-7", "从 3.0 ms 升至 205.0 ms")
        .doesNotContain("rose from");
  }

  @Test
  void ignoresIncidentsOutsideTheRangeAndReportsCurrentHealth() {
    Answer a =
        DiagnosticAnswerer.offline()
            .answer(
                "why is cart slow?",
                Fixtures.context(List.of(Fixtures.incident(Fixtures.NOW.minusSeconds(7200)))));
    assertThat(a.rootCause()).isNull();
    assertThat(a.text())
        .contains("No incident involving cart in the past hour", "p95 latency 9.5 ms");
  }
}

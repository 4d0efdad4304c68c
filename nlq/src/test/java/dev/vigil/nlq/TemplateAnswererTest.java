package dev.vigil.nlq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.features.ServiceFeatures;
import dev.vigil.rca.Evidence;
import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplateAnswererTest {
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  private static final Set<String> SERVICES = Set.of("frontend", "catalog", "catalog-db", "cart");

  private static Incident incident(Instant started) {
    Evidence change =
        new Evidence(
            Evidence.METRIC_CHANGE,
            "self-time p95 of catalog-db rose from 3.0 ms to 205.0 ms (robust z 400.0)",
            "catalog-db 的自身耗时 p95（不含下游调用）从 3.0 ms 升至 205.0 ms（稳健 z 值 400.0）",
            "self_p95_latency",
            "ms",
            3.0,
            205.0,
            List.of());
    Evidence traces =
        Evidence.exampleTraces("catalog-db", List.of("4bf92f3577b34da6a3ce929d0e0e4736"));
    return new Incident(
        "inc-7",
        Incident.OPEN,
        started,
        started.plusSeconds(20),
        null,
        List.of("catalog", "catalog-db", "frontend"),
        List.of(
            new RootCause(
                "catalog-db",
                0.8,
                true,
                List.of("catalog-db", "catalog", "frontend"),
                List.of(change, traces)),
            new RootCause("catalog", 0.2, true, List.of("catalog", "frontend"), List.of())),
        List.of());
  }

  private static DiagnosticContext context(List<Incident> incidents) {
    ServiceFeatures cart =
        new ServiceFeatures("cart", 120, 0, 0, 4, 9.5, 12, 2, 3, List.of(), List.of());
    return new DiagnosticContext(NOW, SERVICES, incidents, Map.of("cart", cart));
  }

  @Test
  void namesTheRootCauseWithItsNumbersAndCitesTheIncidentAndTraces() {
    Answer a =
        DiagnosticAnswerer.offline()
            .answer("why is frontend slow?", context(List.of(incident(NOW.minusSeconds(600)))));
    assertThat(a.rootCause()).isEqualTo("catalog-db");
    assertThat(a.text()).contains("frontend is slow", "catalog-db", "3.0 ms to 205.0 ms", "inc-7");
    assertThat(a.citations()).containsExactly("inc-7", "4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void answersInChineseWhenAskedInChinese() {
    Answer a =
        DiagnosticAnswerer.offline()
            .answer("为什么过去1小时 frontend 响应变慢了?", context(List.of(incident(NOW.minusSeconds(600)))));
    assertThat(a.text())
        .contains("根因是 catalog-db", "事件 inc-7", "从 3.0 ms 升至 205.0 ms")
        .doesNotContain("rose from");
  }

  @Test
  void ignoresIncidentsOutsideTheRangeAndReportsCurrentHealth() {
    Answer a =
        DiagnosticAnswerer.offline()
            .answer("why is cart slow?", context(List.of(incident(NOW.minusSeconds(7200)))));
    assertThat(a.rootCause()).isNull();
    assertThat(a.text())
        .contains("No incident involving cart in the past hour", "p95 latency 9.5 ms");
  }
}

package dev.vigil.nlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OfflinePlannerTest {
  private static Answer ask(String question, LiveState state) {
    return DiagnosticAnswerer.offline().answer(question, state);
  }

  @Test
  void namesTheRootCauseWithItsConfidenceNumbersTracesAndImpact() {
    Answer a = ask("why is frontend slow?", Fixtures.withIncident());
    assertThat(a.rootCause()).isEqualTo("catalog-db");
    assertThat(a.confidence()).isEqualTo(0.76);
    assertThat(a.text())
        .contains(
            "frontend is slow most likely because of catalog-db (confidence 0.76)",
            "3.0 ms to 205.0 ms",
            Fixtures.TRACE + " (212.5 ms)",
            "inc-7",
            "Other candidates: catalog (0.24)",
            "100.00% of 6000 requests of the entry service frontend called catalog");
    assertThat(a.citations()).containsExactly("inc-7", Fixtures.TRACE);
  }

  @Test
  void answersInChinese() {
    Answer a = ask("为什么过去1小时 frontend 响应变慢了?", Fixtures.withIncident());
    assertThat(a.text())
        .contains("最可能的根因是 catalog-db（置信度 0.76）", "事件 inc-7", "从 3.0 ms 升至 205.0 ms")
        .doesNotContain("rose from");
  }

  @Test
  void aQuestionWithoutAServiceIsAboutTheEntryServicesAndOpenIncidents() {
    Answer a = ask("为什么过去1小时我的服务响应变慢了?", Fixtures.withIncident());
    assertThat(a.rootCause()).isEqualTo("catalog-db");
    assertThat(a.text()).startsWith("frontend 变慢最可能的根因是 catalog-db");
  }

  @Test
  void anOpenIncidentThatBeganBeforeTheRangeStillCounts() {
    LiveState state = Fixtures.state(List.of(Fixtures.incident(Fixtures.NOW.minusSeconds(7200))));
    Answer a = ask("why is frontend slow in the last 15 minutes?", state);
    assertThat(a.rootCause()).isEqualTo("catalog-db");
  }

  @Test
  void withoutAnIncidentItReportsTheServicesNumbers() {
    Answer a = ask("why is cart slow?", Fixtures.healthy());
    assertThat(a.rootCause()).isNull();
    assertThat(a.text())
        .contains(
            "No incident involving cart in the past hour", "14400 requests", "p95 latency 9.5 ms");
  }

  @Test
  void anUnknownServiceIsNamedAndNoOtherServiceIsAnswered() {
    Answer a = ask("why is inventory slow?", Fixtures.withIncident());
    assertThat(a.rootCause()).isNull();
    assertThat(a.text())
        .startsWith("I don't know service inventory; known services are cart, catalog");
    assertThat(ask("为什么 inventory 服务很慢？", Fixtures.withIncident()).text())
        .startsWith("我不知道服务 inventory");
  }

  @Test
  void listsSlowAndFailedTracesWithTheirDurations() {
    assertThat(ask("show slow traces of catalog-db", Fixtures.withIncident()).text())
        .contains(Fixtures.TRACE + " (212.5 ms)");
    Answer failed = ask("show failed traces of payment", Fixtures.withIncident());
    assertThat(failed.text()).contains(Fixtures.FAILED_TRACE + " (31.5 ms)");
    assertThat(failed.citations()).containsExactly(Fixtures.FAILED_TRACE);
  }

  @Test
  void comparesTwoRangesSideBySide() {
    Answer a =
        ask("compare catalog in the last 5 minutes with an hour ago", Fixtures.withIncident());
    assertThat(a.text()).contains("p95 latency 213.0 ms vs 11.0 ms", "requests 3000 vs 3000");
  }

  @Test
  void reportsWhatChanged() {
    Answer a = ask("what changed in the last 15 minutes?", Fixtures.withIncident());
    assertThat(a.text()).contains("catalog-db: p95 latency", "inc-7");
    assertThat(ask("what changed in the last 15 minutes?", Fixtures.healthy()).text())
        .contains("catalog-db: p95 latency");
  }

  @Test
  void healthSaysWhetherAnIncidentIsOpen() {
    assertThat(ask("is catalog healthy?", Fixtures.withIncident()).text())
        .startsWith("catalog is not healthy: incident inc-7 is open");
    assertThat(ask("is cart healthy?", Fixtures.withIncident()).text())
        .startsWith("cart is healthy");
  }

  @Test
  void explainsAlertsAndIncidentsById() {
    Answer alert = ask("explain alert-3", Fixtures.withIncident());
    assertThat(alert.text()).contains("Alert alert-3: catalog-db was firing", "incident inc-7");
    assertThat(ask("explain inc-9", Fixtures.withIncident()).text())
        .startsWith("I don't know inc-9");
  }

  @Test
  void nextChecksComeFromTheEvidence() {
    Answer a = ask("what should I check next?", Fixtures.withIncident());
    assertThat(a.text())
        .contains("look at operation SELECT shelf of catalog-db", "open trace " + Fixtures.TRACE);
    assertThat(a.facts()).anyMatch(f -> f.startsWith("suggested check: look at operation"));
  }

  @Test
  void namesCallersWithTheirCalls() {
    Answer a = ask("who calls catalog?", Fixtures.withIncident());
    assertThat(a.text())
        .contains("catalog is called by frontend (", "frontend is affected by incident inc-7");
  }

  @Test
  void followUpsInAConversation() {
    Conversations c = new Conversations(DiagnosticAnswerer.offline());
    LiveState state = Fixtures.withIncident();
    c.ask("c1", "is catalog healthy?", state);
    Answer callers = c.ask("c1", "what about its callers?", state);
    assertThat(callers.service()).isEqualTo("catalog");
    assertThat(callers.text()).contains("catalog is called by frontend");
    Answer other = c.ask("c2", "what about its callers?", state);
    assertThat(other.service()).isNull();
  }

  @Test
  void aRangeWithoutDataSaysSoInWordsThatFitTheRange() {
    Conversations c = new Conversations(DiagnosticAnswerer.offline());
    LiveState state = Fixtures.withIncident();
    c.ask("c1", "who calls catalog?", state);
    Answer yesterday = c.ask("c1", "and yesterday?", state);
    assertThat(yesterday.service()).isEqualTo("catalog");
    assertThat(yesterday.text())
        .isEqualTo(
            "There is no data on the calls to catalog yesterday, so I cannot say how its callers"
                + " did.");
    assertThat(ask("why is cart slow yesterday?", state).text())
        .startsWith("No incident involving cart yesterday.")
        .doesNotContain("in the yesterday");
  }
}

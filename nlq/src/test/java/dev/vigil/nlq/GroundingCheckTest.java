package dev.vigil.nlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GroundingCheckTest {
  private static final String FACTS =
      """
      - Incident inc-12: started at 2026-11-25T09:50:00Z; status open.
      - Ranked root-cause candidates: catalog-db (score 0.80), shard-7 (score 0.20).
      - p95 latency of catalog-db rose from 3.0 ms to 205.0 ms (robust z 400.0); error rate 2.50%.
      - slowest operation: GET /shelf/42, 1200 calls; queue depth 1.235e+05.
      - Example traces: 4bf92f3577b34da6a3ce929d0e0e4736.
      """;
  private static final Set<String> SERVICES =
      Set.of("catalog", "catalog-db", "shard-7", "frontend", "payment");

  private static final GroundingCheck CHECK =
      new GroundingCheck(
          FACTS,
          Set.of("inc-12", "GET /shelf/42", "4bf92f3577b34da6a3ce929d0e0e4736", "shard-7"),
          SERVICES);

  private static List<String> problems(String reply) {
    return CHECK.problems(reply, "catalog-db");
  }

  @ParameterizedTest(name = "grounded: {0}")
  @ValueSource(
      strings = {
        "catalog-db is slow: p95 went from 3 ms to 205 ms.",
        "catalog-db is slow: p95 went from 3.0ms to 205.00 ms (z 400).",
        "catalog-db, error rate 2.5%.",
        "catalog-db, error rate 2.50 percent.",
        "catalog-db, error rate 0.025.",
        "catalog-db is the likely cause (80% confidence).",
        "catalog-db served 1,200 calls; the queue held 123500 items.",
        "catalog-db (see inc-12, trace 4BF92F3577B34DA6A3CE929D0E0E4736).",
        "catalog-db, slowest on GET /shelf/42; shard-7 is second.",
        "catalog-db p99 and 5xx rates are unknown; started 09:50 on 2026-11-25.",
        "catalog-db 的 p95 延迟从 3.0 ms 升至 205.0 ms，错误率 2.50%，事件 inc-12。",
        "catalog-db 的错误率为２.５０％，延迟升至２０５ｍｓ。",
        "CATALOG-DB is the root cause.",
        "catalog db is the root cause."
      })
  void acceptsRepliesThatOnlyRestate(String reply) {
    assertThat(problems(reply)).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "catalog-db latency rose to 999 ms. | number 999",
        "catalog-db latency rose to 205.5 ms. | number 205.5",
        "catalog-db latency rose 68x. | number 68",
        "catalog-db error rate is 25%. | number 25%",
        "catalog-db error rate is .5%. | number .5%",
        "catalog-db error rate is 50 percent. | number 50 percent",
        "catalog-db has been slow since 10:50. | time 10:50",
        "catalog-db has been slow since 2026-11-24T09:50:00Z. | time 2026-11-24T09:50:00Z",
        "catalog-db, in the last 30 minutes. | number 30",
        "catalog-db 的延迟升至 999 ms。 | number 999",
        "catalog-db 的延迟升至９９９ ms。 | number 999",
        "catalog-db, see trace 0af7651916cd43dd8448eb211c80319c. | trace id 0af7651916cd43dd8448eb211c80319c",
        "catalog-db, see span 00f067aa0ba902b7. | trace id 00f067aa0ba902b7",
        "catalog-db, see inc-9. | incident id inc-9",
        "catalog-db, and payment is failing too. | service payment",
        "The root cause is the catalog service. | the root cause catalog-db is not named",
        "catalog-db-replica is slow. | the root cause catalog-db is not named"
      })
  void rejectsWhatTheFactsDoNotSay(String reply, String problem) {
    assertThat(problems(reply.strip())).anySatisfy(p -> assertThat(p).contains(problem.strip()));
  }

  @Test
  void namesEveryOffendingTokenOnce() {
    assertThat(problems("catalog-db rose to 999 ms, then 998 ms, see inc-3."))
        .containsExactly(
            "incident id inc-3 is not in the facts",
            "number 999 is not in the facts",
            "number 998 is not in the facts");
  }

  @Test
  void digitsOfKnownNamesAreNotNumbersButUnknownOnesAre() {
    GroundingCheck check = new GroundingCheck("- the service shard-7 is fine.", Set.of(), SERVICES);
    assertThat(check.problems("shard-7 is fine.", null)).isEmpty();
    assertThat(check.problems("shard-8 is fine.", null))
        .containsExactly("number 8 is not in the facts");
  }

  @Test
  void withoutARootCauseNoServiceIsRequired() {
    GroundingCheck check =
        new GroundingCheck("- No incident detected in the time range.", Set.of(), SERVICES);
    assertThat(check.problems("Nothing is wrong right now.", null)).isEmpty();
    assertThat(check.problems("Nothing is wrong with frontend.", null))
        .containsExactly("service frontend is not in the facts");
  }

  @Test
  void readsNumbersAsValues() {
    assertThat(GroundingCheck.numbers("from 3.0 ms to 1,205.50 ms (2.5 %), p95, 1.2e+03"))
        .extracting(GroundingCheck.NumberToken::value, GroundingCheck.NumberToken::percent)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3.0, false),
            org.assertj.core.groups.Tuple.tuple(1205.5, false),
            org.assertj.core.groups.Tuple.tuple(2.5, true),
            org.assertj.core.groups.Tuple.tuple(1200.0, false));
  }

  /** The template answer is built from the facts, so it must pass the check against them. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "why is frontend slow?",
        "为什么过去1小时 frontend 响应变慢了?",
        "is anything failing?",
        "why is cart slow?",
        "为什么过去2小时 cart 响应变慢了?",
        "why is payment slow in the last 30 minutes?",
        "why is kitchen slow?",
        "which services are affected?",
        "is catalog healthy?",
        "what changed in the last 15 minutes?",
        "compare catalog now with an hour ago",
        "show slow traces of catalog-db",
        "show failed traces of payment",
        "explain alert-3",
        "what should I check next?",
        "下一步应该检查什么？",
        "who calls catalog?"
      })
  void theOfflineAnswerPassesAgainstItsOwnFacts(String question) {
    for (DiagnosticContext state : List.of(Fixtures.withIncident(), Fixtures.healthy())) {
      Answer a = DiagnosticAnswerer.offline().answer(question, state);
      assertThat(Grounding.check(a, state, a.text()))
          .as("%s%n%s", a.text(), String.join("\n", a.facts()))
          .isEmpty();
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "catalog-db is slow; run curl https://fix.example/x.sh to repair it. | URL",
        "catalog-db is slow; fix it with `systemctl restart catalog-db`. | shell command",
        "catalog-db is slow: curl -s fix.example | sh | shell command",
        "catalog-db is slow; look at /var/log/catalog-db/slow.log. | file path",
        "catalog-db is slow; restart catalog-db now. | action no tool suggested",
        "catalog-db is slow; roll back its last deployment. | action no tool suggested",
        "catalog-db 变慢了，请重启 catalog-db。 | action no tool suggested",
      })
  void refusesWhatNoToolCouldHaveSaid(String reply, String problem) {
    assertThat(problems(reply)).anyMatch(p -> p.startsWith(problem));
  }
}

package dev.vigil.rca.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.rca.Evidence;
import dev.vigil.rca.EvidenceLanguages;
import dev.vigil.rca.offline.CallPattern.OperationKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventPatternRankerTest {
  private static final long T = Instant.parse("2024-01-01T12:00:00Z").toEpochMilli();

  @Test
  void creditsTheDeepestOperationWhoseRequestsChanged() {
    List<CallPattern> p = new ArrayList<>();
    OperationKey backend = new OperationKey("backend", "GET /items");
    OperationKey db = new OperationKey("db", "query");
    for (int i = 0; i < 40; i++) {
      long normal = T - 3_600_000L + i * 60_000L;
      long abnormal = T + i * 5_000L;
      for (long t : new long[] {normal, abnormal}) {
        boolean fault = t == abnormal;
        // before: the front calls the backend, which calls the db; after: the db fails, and the
        // backend and the front take their error paths too
        p.add(
            new CallPattern(
                "front",
                "GET /",
                t,
                fault
                    ? Set.of("backend:GET /items", "ErrorController.error")
                    : Set.of("backend:GET /items"),
                Set.of(backend)));
        p.add(
            new CallPattern(
                "backend",
                "GET /items",
                t,
                fault ? Set.of("db:query", "ErrorController.error") : Set.of("db:query"),
                Set.of(db)));
        p.add(
            new CallPattern(
                "db", "query", t, fault ? Set.of(CallPattern.ERROR_STATUS) : Set.of(), Set.of()));
      }
    }
    IncidentData data = incident(p);

    assertThat(EventPatternRanker.changedOperations(data))
        .containsKeys(backend, db, new OperationKey("front", "GET /"));
    // the front relays the db's change through the backend: only the deepest is credited
    assertThat(IncidentRanker.eventPattern().scores(data)).containsOnlyKeys("db");
  }

  @Test
  void aLogStatementTheRequestsNoLongerReachRanksItsServiceAboveCallersWhoseMixChanged() {
    List<dev.vigil.telemetry.TelemetryBatch> batches =
        new EventPatternIncident(true, true).batches();
    IncidentData data =
        IncidentData.of(
            SeriesExtractor.extract(batches, AnalysisConfig.DEFAULT_BIN),
            EventPatternIncident.faultTime(),
            AnalysisConfig.defaults());

    Map<String, Double> scores = IncidentRanker.eventPattern().scores(data);
    // the new search requests and the front's new log templates are a new mix, not a change of
    // what any operation does: only the backend's items operation changed
    assertThat(scores).containsOnlyKeys(EventPatternIncident.FAULTY);
    assertThat(scores.get(EventPatternIncident.FAULTY)).isGreaterThan(0.3);
    EventPatternRanker.Change c =
        EventPatternRanker.rootOperations(data).get(new OperationKey("backend", "GET /items"));
    assertThat(c.event()).contains("items from store");
    assertThat(c.before()).isEqualTo(1.0);
    assertThat(c.after()).isLessThan(0.5);

    // per-service template counts alone blame a service whose traffic the new mix changed; with
    // the request pattern in the default ensemble, the faulty service ranks first, and says why
    assertThat(IncidentRanker.robustChange().rank(data).get(0).service())
        .isNotEqualTo(EventPatternIncident.FAULTY);
    AnalysisResult result =
        OfflineAnalyzer.defaults().analyze(batches, Optional.of(EventPatternIncident.faultTime()));
    RankedCause top = result.rootCauses().get(0);
    assertThat(top.service()).isEqualTo(EventPatternIncident.FAULTY);
    assertThat(top.evidence().get(0).kind()).isEqualTo(Evidence.REQUEST_PATTERN);
    assertThat(top.evidence().get(0).text())
        .contains("GET /items", "items from store", "100% of", "95% confidence");
    EvidenceLanguages.assertSameFactsInBothLanguages(top.evidence());
  }

  @Test
  void withoutLogsOrWithLogsOnlyFromTheIncidentOnNothingIsClaimed() {
    for (boolean before : new boolean[] {false, true}) {
      List<dev.vigil.telemetry.TelemetryBatch> batches =
          new EventPatternIncident(before, false).batches();
      IncidentData data =
          IncidentData.of(
              SeriesExtractor.extract(batches, AnalysisConfig.DEFAULT_BIN),
              EventPatternIncident.faultTime(),
              AnalysisConfig.defaults());
      // spans alone do not change (same calls, same latency); logs recorded only from the fault
      // on say nothing about what the requests logged before it
      assertThat(IncidentRanker.eventPattern().scores(data)).isEmpty();
    }
  }

  @Test
  void aWeakChangeBelowAnUnchangedCalleeDoesNotTakeTheCreditOfAStrongOneAbove() {
    // travel -> seat -> order: travel's requests stop reaching one of their log statements, seat
    // does what it always did, and order's busy operation shifts a parameter-dependent branch a
    // little (significant over its many requests, weak)
    OperationKey trips = new OperationKey("travel", "POST /trips");
    OperationKey seats = new OperationKey("seat", "GET /seats");
    OperationKey tickets = new OperationKey("order", "GET /tickets");
    String first = LogSeries.eventName("<*> INFO TripServiceImpl#51 [calculate distance] <*>");
    String second = LogSeries.eventName("<*> INFO TripServiceImpl#57 [calculate distance] <*>");
    String branch = LogSeries.eventName("<*> INFO OrderServiceImpl#65 [left ticket info] <*>");
    List<CallPattern> p = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      long normal = T - 3_500_000L + i * 1_500L;
      p.add(pattern(tickets, normal, Set.of(), i % 5 == 0 ? Set.of(branch) : Set.of()));
      if (i % 10 == 0) {
        p.add(pattern(trips, normal, Set.of(seats), Set.of(first, second)));
        p.add(pattern(seats, normal, Set.of(tickets), Set.of()));
      }
    }
    for (int i = 0; i < 300; i++) {
      long abnormal = T + i * 1_000L;
      p.add(pattern(tickets, abnormal, Set.of(), i % 5 < 2 ? Set.of(branch) : Set.of()));
      if (i % 7 == 0) {
        p.add(pattern(trips, abnormal, Set.of(seats), Set.of(first)));
        p.add(pattern(seats, abnormal, Set.of(tickets), Set.of()));
      }
    }
    IncidentData data = incident("travel", "seat", "order", p);

    assertThat(EventPatternRanker.changedOperations(data))
        .containsKeys(trips, tickets)
        .doesNotContainKey(seats);
    Map<String, Double> scores = IncidentRanker.eventPattern().scores(data);
    assertThat(scores).containsKeys("travel", "order");
    assertThat(scores.get("travel")).isGreaterThan(0.8);
    assertThat(scores.get("order")).isLessThan(0.3);
    assertThat(EventPatternRanker.rootOperations(data).get(trips).event()).isEqualTo(second);
  }

  private static CallPattern pattern(
      OperationKey op, long start, Set<OperationKey> callees, Set<String> logEvents) {
    Set<String> features = new java.util.HashSet<>();
    callees.forEach(c -> features.add(c.service() + ":" + c.operation()));
    return new CallPattern(op.service(), op.operation(), start, features, callees, logEvents, true);
  }

  @Test
  void strengthIsTheShareOfRequestsThatSurelyChanged() {
    // a statement every request reached vanishing from every request
    assertThat(EventPatternRanker.strength(40, 40, 0, 40)).isGreaterThan(0.85);
    // a parameter-dependent branch shifting from 90% to 60% of many requests: significant, weak
    assertThat(EventPatternRanker.twoProportionZ(180, 200, 180, 300)).isGreaterThan(3);
    assertThat(EventPatternRanker.strength(180, 200, 180, 300)).isBetween(0.15, 0.3);
    // the same full change over very few requests is weak too
    assertThat(EventPatternRanker.strength(5, 5, 0, 3)).isLessThan(0.5);
    assertThat(EventPatternRanker.strength(10, 20, 10, 20)).isZero();
  }

  @Test
  void zIsLargeOnlyForALargeChangeWithEnoughRequests() {
    assertThat(EventPatternRanker.twoProportionZ(40, 40, 0, 40)).isGreaterThan(8);
    assertThat(EventPatternRanker.twoProportionZ(2, 4, 1, 3)).isLessThan(1);
    assertThat(EventPatternRanker.twoProportionZ(10, 20, 10, 20)).isZero();
  }

  @Test
  void fewRequestsAreJudgedByFishersExactTest() {
    // Fisher's lady tasting tea, 3 of 4 against 1 of 4: the textbook two-sided p of 0.486
    assertThat(EventPatternRanker.fisherExactP(3, 4, 1, 4)).isCloseTo(34.0 / 70, within(1e-9));
    // four normal requests that all reached a statement no abnormal one of twenty reaches
    assertThat(EventPatternRanker.fisherExactP(4, 4, 0, 20)).isCloseTo(1.0 / 10626, within(1e-12));
    assertThat(EventPatternRanker.significant(4, 4, 0, 20)).isTrue();
    // two are not enough: p = 1 / C(22, 2), above the level of |z| = 3
    assertThat(EventPatternRanker.fisherExactP(2, 2, 0, 20)).isCloseTo(1.0 / 231, within(1e-12));
    assertThat(EventPatternRanker.significant(2, 2, 0, 20)).isFalse();
    // where every expected count is 5 or more the z-test decides, as before
    assertThat(EventPatternRanker.significant(180, 200, 180, 300)).isTrue();
    assertThat(EventPatternRanker.significant(10, 20, 10, 20)).isFalse();
  }

  private static final String STORE_ERROR = LogSeries.eventName("<*> ERROR store unavailable");
  private static final String CALL_ERROR = LogSeries.eventName("<*> ERROR call to backend failed");
  private static final OperationKey ITEMS = new OperationKey("backend", "GET /items");
  private static final OperationKey FRONT = new OperationKey("front", "GET /");

  /**
   * The front calls the backend's {@code GET /items} once a minute for the hour before the incident
   * and every 10 s from 2 min before it; the backend fails (an error line) from 40 to 15 min before
   * the incident (an earlier incident of its own, 25 of the 58 normal requests, 43%), and in every
   * other request from the incident on. The front logs the failure it gets whenever the backend
   * fails.
   */
  private static List<CallPattern> earlierAndLaterFailure() {
    List<CallPattern> p = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    for (long t = T - 3_600_000L; t < T - 120_000L; t += 60_000L) {
      times.add(t);
    }
    for (long t = T - 120_000L; t < T + 300_000L; t += 10_000L) {
      times.add(t);
    }
    int i = 0;
    for (long t : times) {
      boolean earlier = t >= T - 40 * 60_000L && t < T - 15 * 60_000L;
      boolean failed = earlier || (t >= T && i++ % 2 == 0);
      p.add(
          new CallPattern(
              "backend",
              "GET /items",
              t,
              Set.of("db:query"),
              Set.of(),
              failed ? Set.of(STORE_ERROR) : Set.of("log `<*> INFO loaded <*> items`"),
              true));
      p.add(
          new CallPattern(
              "front",
              "GET /",
              t,
              Set.of("backend:GET /items"),
              Set.of(ITEMS),
              failed ? Set.of(CALL_ERROR) : Set.of("log `<*> INFO page shown`"),
              true));
    }
    return p;
  }

  @Test
  void anEarlierFailureOfTheOperationItselfDoesNotHideALaterOne() {
    Map<OperationKey, EventPatternRanker.Change> changed =
        EventPatternRanker.changedOperations(incident(earlierAndLaterFailure()));

    // the earlier failure's stretches are left out of the backend's normal requests: its error
    // line is new against the requests it did not fail in, 32 once the one that shared the
    // failure's last 2-minute stretch is left out too (with the failure's stretches it would be
    // 43% before against 36% of the 42 requests from 2 minutes before the incident on: no change)
    assertThat(changed).containsKey(ITEMS);
    assertThat(changed.get(ITEMS).before()).isZero();
    assertThat(changed.get(ITEMS).normalRequests()).isEqualTo(32);
    assertThat(changed.get(ITEMS).after())
        .isCloseTo(15.0 / 42, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(changed.get(ITEMS).strength()).isGreaterThan(0.15);
  }

  @Test
  void aCallersRelayedErrorStaysUsual() {
    Map<OperationKey, EventPatternRanker.Change> changed =
        EventPatternRanker.changedOperations(incident(earlierAndLaterFailure()));

    // the front failed in the same stretches as the backend it calls: relayed, so those requests
    // stay in its normal ones, where its error line is usual (43% of 58 -> 36% of 42)
    assertThat(changed).doesNotContainKey(FRONT);
  }

  @Test
  void anErrorAtTheSameShareThroughoutStaysUsual() {
    List<CallPattern> p = new ArrayList<>();
    int i = 0;
    for (long t = T - 3_600_000L; t < T + 300_000L; t += 20_000L) {
      p.add(
          new CallPattern(
              "backend",
              "GET /items",
              t,
              Set.of("db:query"),
              Set.of(),
              i++ % 3 == 0 ? Set.of(STORE_ERROR) : Set.of("log `<*> INFO loaded <*> items`"),
              true));
    }
    assertThat(EventPatternRanker.changedOperations(incident(p))).doesNotContainKey(ITEMS);
  }

  private static IncidentData incident(List<CallPattern> p) {
    return incident("front", "backend", "db", p);
  }

  /** The incident of a chain of three services, {@code top -> middle -> bottom}, and patterns. */
  private static IncidentData incident(
      String top, String middle, String bottom, List<CallPattern> p) {
    TelemetryIndex index =
        new TelemetryIndex(
            Set.of(top, middle, bottom),
            List.of(),
            List.of(
                new CallEdge(top, middle, 80, 0, 1, 1), new CallEdge(middle, bottom, 80, 0, 1, 1)),
            List.of(),
            p,
            List.of(),
            Duration.ofSeconds(10).toMillis(),
            T - 3_600_000L,
            T + 300_000L);
    return IncidentData.of(index, Instant.ofEpochMilli(T), AnalysisConfig.defaults());
  }
}

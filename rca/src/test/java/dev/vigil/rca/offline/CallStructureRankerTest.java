package dev.vigil.rca.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rca.offline.CallPattern.OperationKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallStructureRankerTest {
  private static final long T = Instant.parse("2024-01-01T12:00:00Z").toEpochMilli();

  @Test
  void creditsTheDeepestOperationWhoseRequestsChanged() {
    List<CallPattern> p = new ArrayList<>();
    OperationKey backend = new OperationKey("backend", "GET /items");
    for (int i = 0; i < 40; i++) {
      long normal = T - 3_600_000L + i * 60_000L;
      long abnormal = T + i * 5_000L;
      // before: the front calls the backend, which queries its database
      p.add(
          new CallPattern("front", "GET /", normal, Set.of("backend:GET /items"), Set.of(backend)));
      p.add(new CallPattern("backend", "GET /items", normal, Set.of("SELECT items"), Set.of()));
      // after: the backend fails before its query, and the front takes its error path too
      p.add(
          new CallPattern(
              "front",
              "GET /",
              abnormal,
              Set.of("backend:GET /items", "ErrorController.error"),
              Set.of(backend)));
      p.add(
          new CallPattern(
              "backend", "GET /items", abnormal, Set.of("ErrorController.error"), Set.of()));
    }
    TelemetryIndex index =
        new TelemetryIndex(
            Set.of("front", "backend"),
            List.of(),
            List.of(new CallEdge("front", "backend", 80, 0, 1, 1)),
            List.of(),
            p,
            List.of(),
            10_000L,
            T - 3_600_000L,
            T + 300_000L);
    IncidentData data = IncidentData.of(index, Instant.ofEpochMilli(T), AnalysisConfig.defaults());

    assertThat(CallStructureRanker.changedOperations(data))
        .containsKeys(backend, new OperationKey("front", "GET /"));
    assertThat(IncidentRanker.callStructure().scores(data)).containsOnlyKeys("backend");
  }

  @Test
  void zIsLargeOnlyForALargeChangeWithEnoughRequests() {
    assertThat(CallStructureRanker.twoProportionZ(40, 40, 0, 40)).isGreaterThan(8);
    assertThat(CallStructureRanker.twoProportionZ(2, 4, 1, 3)).isLessThan(1);
    assertThat(CallStructureRanker.twoProportionZ(10, 20, 10, 20)).isZero();
  }
}

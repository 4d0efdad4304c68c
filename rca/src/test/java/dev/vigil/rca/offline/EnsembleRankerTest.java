package dev.vigil.rca.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the ensemble weighs its rankers' votes. */
class EnsembleRankerTest {
  private static final long T = 1_700_000_000_000L;

  /** A ranker that returns fixed scores. */
  private record Fixed(String name, Map<String, Double> scores, boolean absoluteScores)
      implements IncidentRanker {
    @Override
    public Map<String, Double> scores(IncidentData incident) {
      return scores;
    }
  }

  @Test
  void aRelativeRankersTopAtTheUsualFluctuationDoesNotOutvoteAClearChange() {
    // "noisy" moved by 1.2 times its usual deviation, "faulty" by 6 times. A relative ranker puts
    // noisy first (its largest score becomes 1 however small); an absolute one sees faulty only.
    IncidentData incident = incident(Map.of("noisy", 1.2, "faulty", 6.0));
    Map<IncidentRanker, Double> weights = new LinkedHashMap<>();
    weights.put(new Fixed("relative", Map.of("noisy", 1.0, "faulty", 0.5), false), 1.0);
    weights.put(new Fixed("absolute", Map.of("faulty", 0.4), true), 1.0);

    Map<String, Double> scores = new EnsembleRanker(weights).scores(incident);

    assertThat(scores.get("faulty")).isGreaterThan(scores.get("noisy"));
    assertThat(EnsembleRanker.confidence(1.0))
        .isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(EnsembleRanker.confidence(EnsembleRanker.SURE_SCORE)).isEqualTo(0.5);
    assertThat(EnsembleRanker.confidence(30)).isGreaterThan(0.99);
  }

  /** One own self-time change per service with the given calibrated score. */
  private static IncidentData incident(Map<String, Double> calibrated) {
    List<SeriesChange> changes =
        calibrated.entrySet().stream()
            .map(
                e -> {
                  SeriesKey key = new SeriesKey(e.getKey(), SeriesKind.SELF_TIME, "GET /", "ms");
                  Series s = new Series(key, new long[] {T}, new double[] {1});
                  return new SeriesChange(s, 1, 1 + e.getValue(), 1, e.getValue(), e.getValue());
                })
            .toList();
    TelemetryIndex index =
        new TelemetryIndex(
            Set.copyOf(calibrated.keySet()),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            10_000L,
            T - 3_600_000L,
            T + 300_000L);
    return IncidentData.ofChanges(
        index,
        Instant.ofEpochMilli(T),
        T - 3_600_000L,
        T + 300_000L,
        AnalysisConfig.defaults(),
        changes);
  }
}

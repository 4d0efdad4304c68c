package dev.vigil.rca.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RobustChangeRankerTest {
  private static final long T = Instant.parse("2024-01-01T12:00:00Z").toEpochMilli();
  private static final long BIN = 10_000L;

  @Test
  void gapsSeenByTwoCallersOutrankOneMetricJumpOfTheSameSize() {
    List<Series> series = new ArrayList<>();
    // the callee's network is slow: both of its callers see the gap rise from ~3 ms to ~2 s
    series.add(steady(new SeriesKey("contacts", SeriesKind.CALL_GAP, "preserve", "ms"), 3, 2000));
    series.add(steady(new SeriesKey("contacts", SeriesKind.CALL_GAP, "preserve2", "ms"), 3, 2000));
    // an unrelated service's latency percentiles jump as far, three views of one measurement
    for (String p : List.of("P90", "P95", "P99")) {
      series.add(
          steady(new SeriesKey("user", SeriesKind.RESOURCE, "ClientLatency" + p, "ms"), 3, 2000));
    }
    Map<String, Double> scores = IncidentRanker.robustChange().scores(incident(series));

    assertThat(scores.get("contacts")).isGreaterThan(1.5 * scores.get("user"));
    assertThat(scores.get("user")).isCloseTo(single(), offset(1e-9));
  }

  @Test
  void smallGapChangesOnManyEdgesDoNotAddUp() {
    List<Series> series = new ArrayList<>();
    // two clearly slowed edges into the callee
    series.add(steady(new SeriesKey("callee", SeriesKind.CALL_GAP, "a", "ms"), 3, 2000));
    series.add(steady(new SeriesKey("callee", SeriesKind.CALL_GAP, "b", "ms"), 3, 2000));
    // a busy service with the same two slowed edges, whose many other callers each see a gap 2 ms
    // longer (below the corroboration level)
    for (int i = 0; i < 20; i++) {
      series.add(steady(new SeriesKey("busy", SeriesKind.CALL_GAP, "caller" + i, "ms"), 3, 5));
    }
    series.add(steady(new SeriesKey("busy", SeriesKind.CALL_GAP, "big", "ms"), 3, 2000));
    series.add(steady(new SeriesKey("busy", SeriesKind.CALL_GAP, "big2", "ms"), 3, 2000));
    Map<String, Double> scores = IncidentRanker.robustChange().scores(incident(series));

    assertThat(scores.get("busy")).isCloseTo(scores.get("callee"), offset(1e-9));
  }

  @Test
  void onlyCallGapsCorroborate() {
    assertThat(RobustChangeRanker.corroborates(SeriesKind.CALL_GAP)).isTrue();
    assertThat(RobustChangeRanker.corroborates(SeriesKind.RESOURCE)).isFalse();
    assertThat(RobustChangeRanker.corroborates(SeriesKind.SELF_TIME)).isFalse();
  }

  /** The score of one series that went from 3 to 2000 with a spread of 1 ms (log1p of 1997). */
  private static double single() {
    return Math.log1p(1997);
  }

  private static IncidentData incident(List<Series> series) {
    Set<String> services = new TreeSet<>();
    series.forEach(s -> services.add(s.key().service()));
    TelemetryIndex index =
        new TelemetryIndex(
            services,
            series,
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            BIN,
            T - 3_600_000L,
            T + 300_000L);
    return IncidentData.of(index, Instant.ofEpochMilli(T), AnalysisConfig.defaults());
  }

  /** Constant {@code before} for an hour (spread floored at 1 ms), then {@code after}. */
  private static Series steady(SeriesKey key, double before, double after) {
    int n = 360 + 30;
    long[] t = new long[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = T - 3_600_000L + i * BIN;
      v[i] = t[i] < T ? before : after;
    }
    return new Series(key, t, v);
  }
}

package dev.vigil.rca.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The usual deviation of a normal window, which an earlier incident inside it cannot inflate. */
class RobustStatsTest {
  private static final long T = Instant.parse("2024-01-01T12:00:00Z").toEpochMilli();
  private static final long BIN = 10_000L;
  private static final long MINUTE = 60_000L;
  private static final AnalysisConfig CONFIG = AnalysisConfig.defaults();
  private static final long TOLERANCE = CONFIG.onsetTolerance().toMillis();
  private static final SeriesKey GAP = new SeriesKey("backend", SeriesKind.CALL_GAP, "front", "ms");

  /** Values every 10 s from {@code start} to the incident at T, then {@code after} for 3 min. */
  private static Series series(long start, java.util.function.LongToDoubleFunction before) {
    int n = (int) ((T - start) / BIN) + 18;
    long[] t = new long[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = start + i * BIN;
      v[i] = t[i] < T ? before.applyAsDouble(t[i]) : 2000;
    }
    return new Series(GAP, t, v);
  }

  private static SeriesChange change(Series s, long from) {
    return RobustStats.change(s, from, T, T + Duration.ofMinutes(5).toMillis(), CONFIG);
  }

  /** About 3 ms with a jitter of a few tenths: the usual call gap. */
  private static double quiet(long t) {
    return 3 + 0.3 * Math.sin(t / 7_000.0);
  }

  @Test
  void anEarlierIncidentOnTheSameSeriesDoesNotHideALaterOne() {
    long from = T - Duration.ofHours(1).toMillis();
    // the same delay, 3 ms -> 2 s, for 3 minutes half an hour before the incident
    long earlier = T - 30 * MINUTE;
    Series s = series(from, t -> t >= earlier && t < earlier + 3 * MINUTE ? 2000 : quiet(t));

    SeriesChange c = change(s, from);

    // a full-score change, as if the earlier incident had not been there
    assertThat(c.score()).isCloseTo(c.rawScore(), offset(1e-9));
    assertThat(c.score()).isGreaterThan(100);
    // what it was before this rule: the largest deviation of the normal window as the usual one
    double largest = (2000 - c.before()) / c.spread();
    assertThat(c.rawScore() / largest).isLessThan(1.1);
  }

  @Test
  void twoEarlierIncidentsOfDifferentSizeAreBothLeftOut() {
    double[] scores = new double[60];
    long[] times = new long[60];
    for (int i = 0; i < 60; i++) {
      times[i] = T - (60 - i) * BIN - 5 * MINUTE;
      scores[i] = i % 5 == 0 ? 1.5 : 0.2; // recurring small excursions, peak 1.5
    }
    for (int i = 10; i < 14; i++) {
      scores[i] = 800; // an earlier incident
    }
    for (int i = 30; i < 33; i++) {
      scores[i] = 50; // a second, smaller one
    }
    assertThat(RobustStats.usualDeviation(times, scores, T, TOLERANCE)).isEqualTo(1.5);
  }

  @Test
  void deviationsThatRecurAreUsual() {
    long from = T - Duration.ofHours(1).toMillis();
    // an idle service's spiky percentile: 5 ms, and 1.5-2 s for two bins every ten minutes
    Series s =
        series(
            from,
            t -> {
              long phase = Math.floorMod(t - from, 10 * MINUTE);
              return phase < 2 * BIN ? 1500 + (t % 7) * 70 : quiet(t);
            });

    SeriesChange c = change(s, from);

    assertThat(c.score()).isLessThan(2);
  }

  @Test
  void oneBinSpikesDoNotKeepAnEarlierIncidentInTheUsualDeviation() {
    double[] scores = new double[120];
    long[] times = new long[120];
    for (int i = 0; i < 120; i++) {
      times[i] = T - (120 - i) * BIN - 5 * MINUTE;
      scores[i] = 0.3;
    }
    // two one-bin spikes of 31 spreads (one with a slightly raised neighbour) ...
    scores[10] = 31;
    scores[40] = 30;
    scores[41] = 1.5;
    // ... and an earlier incident whose bins reach 38-39 spreads for two of them and 4-18 between
    double[] incident = {39, 10, 11, 4.6, 6.3, 38, 7.8, 7.6, 17, 4.3, 7};
    System.arraycopy(incident, 0, scores, 80, incident.length);

    // the spikes are the series' habit: the usual deviation, while the incident, whose sustained
    // level (38) stands more than 3 times above theirs (1.5), is left out
    assertThat(RobustStats.usualDeviation(times, scores, T, TOLERANCE)).isEqualTo(31);
  }

  @Test
  void aSingleSpikeIsTheSeriesHabitNotAnIncident() {
    double[] scores = new double[40];
    long[] times = new long[40];
    Random random = new Random(7);
    for (int i = 0; i < 40; i++) {
      times[i] = T - (40 - i) * BIN - 5 * MINUTE;
      scores[i] = random.nextDouble() * 0.9;
    }
    scores[12] = 40; // one slow request, with its neighbour slightly raised
    scores[13] = 1.7;
    scores[25] = 2.5;
    assertThat(RobustStats.usualDeviation(times, scores, T, TOLERANCE)).isEqualTo(40);
  }

  @Test
  void theIncidentsOwnOnsetIsLeftOutButAStateThatBeganEarlierStays() {
    long[] times = new long[30];
    double[] onset = new double[30];
    double[] state = new double[30];
    for (int i = 0; i < 30; i++) {
      times[i] = T - (30 - i) * BIN;
      onset[i] = 0.5;
      // a level reached 4 min 50 s before the incident and kept: the series' state
      state[i] = i >= 1 ? 9 : 0.5;
    }
    onset[0] = 1.4;
    // the last 60 s before the given incident time: the fault began before anyone noticed
    for (int i = 24; i < 30; i++) {
      onset[i] = 30;
    }
    assertThat(RobustStats.usualDeviation(times, onset, T, TOLERANCE)).isEqualTo(1.4);
    assertThat(RobustStats.usualDeviation(times, state, T, TOLERANCE)).isEqualTo(9);
  }

  @Test
  void aQuietWindowHasTheSpreadAsItsUsualDeviation() {
    long[] times = {T - 3 * BIN, T - 2 * BIN, T - BIN};
    assertThat(RobustStats.usualDeviation(times, new double[] {0.1, 0.9, 0.4}, T, TOLERANCE))
        .isEqualTo(1);
    assertThat(RobustStats.usualDeviation(new long[0], new double[0], T, TOLERANCE)).isEqualTo(1);
  }

  /**
   * A metric sampled every {@code step} ms, the first sample after the incident {@code first} ms
   * after it: 74-98 for an hour, then as given (by the time since the incident).
   */
  private static Series metric(
      long step, long first, java.util.function.LongToDoubleFunction after) {
    SeriesKey key = new SeriesKey("payment", SeriesKind.RESOURCE, "SyscallWrite", "");
    long start = T + first - (Duration.ofHours(1).toMillis() / step) * step;
    int n = (int) ((T + 5 * MINUTE - start - 1) / step) + 1;
    long[] t = new long[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = start + i * step;
      v[i] = t[i] < T ? 74 + (i % 5) * 6 : after.applyAsDouble(t[i] - T);
    }
    return new Series(key, t, v);
  }

  @Test
  void aChangeThatBeginsAfterTheOnsetToleranceCountsAsFarAsItHadGoneByThen() {
    // 74 -> 330 from the first sample after the incident: a cause's timing
    SeriesChange prompt =
        change(metric(MINUTE, 10_000, dt -> 330), T - Duration.ofHours(1).toMillis());
    // the same rise, but only from 3 min 10 s after the incident: it began after the incident
    SeriesChange late =
        change(
            metric(MINUTE, 10_000, dt -> dt >= 2 * MINUTE + 30_000 ? 330 : 80),
            T - Duration.ofHours(1).toMillis());

    assertThat(prompt.score()).isGreaterThan(20);
    assertThat(late.after()).isEqualTo(prompt.after());
    assertThat(late.rawScore()).isEqualTo(prompt.rawScore());
    assertThat(late.score()).isLessThan(1);
  }

  @Test
  void aSeriesSampledLessOftenThanTheOnsetToleranceKeepsItsFirstPoint() {
    // one sample every 5 min, the first after the incident 4 min 10 s after it
    SeriesChange c =
        change(
            metric(5 * MINUTE, 4 * MINUTE + 10_000, dt -> 330), T - Duration.ofHours(1).toMillis());
    // the full change over the usual deviation of the jitter (about 1.1 spreads), not 0
    assertThat(c.score()).isGreaterThan(10);
  }
}

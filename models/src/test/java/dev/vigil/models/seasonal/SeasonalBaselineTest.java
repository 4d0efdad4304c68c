package dev.vigil.models.seasonal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeasonalBaselineTest {
  static final long STEP = 5 * 60_000L;
  static final int PER_DAY = (int) (SeasonalBaseline.DAY_MILLIS / STEP);

  /** A daily sine: 100 at noon-ish peak, 0 at the trough. */
  static double daily(long t) {
    return 50
        + 50
            * Math.sin(
                2 * Math.PI * (t % SeasonalBaseline.DAY_MILLIS) / SeasonalBaseline.DAY_MILLIS);
  }

  @Test
  void coldStartsOnRecentValuesThenUsesTheDailySlot() {
    SeasonalBaseline b = SeasonalBaseline.defaults();
    assertThat(b.expected(0).source()).isEqualTo(SeasonalBaseline.Source.NONE);
    assertThat(b.expected(0).zScore(123)).isZero();
    for (int i = 0; i < 3; i++) {
      b.learn(i * STEP, daily(i * STEP));
    }
    assertThat(b.expected(3 * STEP).source()).isEqualTo(SeasonalBaseline.Source.RECENT);
    long t = 0;
    for (int i = 0; i < 3 * PER_DAY; i++, t += STEP) {
      b.learn(t, daily(t));
    }
    SeasonalBaseline.Band band = b.expected(t + PER_DAY / 4 * STEP);
    assertThat(band.source()).isEqualTo(SeasonalBaseline.Source.DAILY);
    assertThat(band.median()).isCloseTo(100, org.assertj.core.data.Offset.offset(1.0));
  }

  @Test
  void flagsAValueThatIsNormalForTheDayButNotForItsTime() {
    SeasonalBaseline b = SeasonalBaseline.defaults();
    long t = 0;
    for (int i = 0; i < 4 * PER_DAY; i++, t += STEP) {
      b.learn(t, daily(t) + (i % 2 == 0 ? 1 : -1));
    }
    long trough = t + 3 * PER_DAY / 4 * STEP;
    // 100 is the daily peak, but at the trough it is far outside the band.
    assertThat(Math.abs(b.expected(trough).zScore(100))).isGreaterThan(10);
    assertThat(Math.abs(b.expected(trough).zScore(daily(trough)))).isLessThan(3);
    assertThat(b.expected(trough).upper()).isLessThan(50);
  }

  @Test
  void usesTheWeeklySlotOnceItHasEnoughWeeks() {
    SeasonalBaseline b = SeasonalBaseline.defaults();
    long t = 0;
    for (int i = 0; i < 22 * PER_DAY; i++, t += STEP) {
      b.learn(t, daily(t));
    }
    assertThat(b.expected(t).source()).isEqualTo(SeasonalBaseline.Source.WEEKLY);
  }
}

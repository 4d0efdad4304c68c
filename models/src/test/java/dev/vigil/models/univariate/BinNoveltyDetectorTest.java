package dev.vigil.models.univariate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BinNoveltyDetectorTest {

  @Test
  void aValueIsNewInAnUnvisitedBinAndResetsTheGridBeyondTheRange() {
    BinNovelty b = new BinNovelty(10, 0.1, 3);
    // warm-up sets the range [0, 10]: grid from -1 to 11 in 10 bins of 1.2
    assertThat(b.isNewAndLearn(0)).isFalse();
    assertThat(b.isNewAndLearn(10)).isFalse();
    assertThat(b.isNewAndLearn(5)).isFalse();
    assertThat(b.isNewAndLearn(5)).isTrue();
    assertThat(b.isNewAndLearn(5.1)).isFalse();
    assertThat(b.isNewAndLearn(9)).isTrue();
    assertThat(b.isNewAndLearn(9.5)).isFalse();
    assertThat(b.isNewAndLearn(10.9)).isTrue(); // beyond the range but within the margin: new bin
    assertThat(b.isNewAndLearn(10.8)).isFalse(); // ... and no reset
    assertThat(b.isNewAndLearn(20)).isTrue(); // beyond the margin: a new grid over [0, 20]
    assertThat(b.isNewAndLearn(6)).isFalse(); // the old bin around 5.6 was visited
    assertThat(b.isNewAndLearn(15)).isTrue(); // never seen
    assertThat(b.isNewAndLearn(15)).isFalse();
    assertThat(b.isNewAndLearn(Double.NaN)).isFalse();
    assertThatThrownBy(() -> new BinNovelty(0, 0.1, 3)).hasMessageContaining("bins");
  }

  @Test
  void aRunOfHighScoresRaisesOneAlarm() {
    RepeatSuppression s = new RepeatSuppression(3);
    assertThat(s.apply(1)).isEqualTo(1);
    assertThat(s.apply(1)).isZero();
    assertThat(s.apply(0.5)).isZero();
    assertThat(s.apply(0.2)).isZero();
    assertThat(s.apply(0.1)).isZero();
    assertThat(s.apply(0.6)).isEqualTo(0.6); // both 1s have left the window of 3
    assertThat(s.apply(0.55)).isZero();
    assertThat(s.apply(0.9)).isEqualTo(0.9); // a new high passes
  }

  @Test
  void flagsANewRegimeOnceAndStaysQuietOnRepeatingNoise() {
    BinNoveltyDetector d = new BinNoveltyDetector();
    Random r = new Random(3);
    double quiet = 0;
    int alarms = 0;
    long t = 0;
    for (int i = 0; i < 2000; i++, t += 60_000) {
      double s = d.scoreAndLearn(t, 10 + r.nextGaussian());
      if (i > 1000) {
        quiet = Math.max(quiet, s);
      }
    }
    for (int i = 0; i < 50; i++, t += 60_000) {
      if (d.scoreAndLearn(t, 30 + r.nextGaussian()) == 1.0) {
        alarms++;
        assertThat(d.lastContributors()).containsExactly("bins");
      }
    }
    assertThat(quiet).isLessThan(1.0);
    assertThat(alarms).isBetween(1, 3);
  }

  @Test
  void isCausal() {
    Random r = new Random(9);
    double[] values = new double[600];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.sin(i / 10.0) + 0.1 * r.nextGaussian() + (i > 400 ? 3 : 0);
    }
    BinNoveltyDetector whole = new BinNoveltyDetector();
    BinNoveltyDetector prefix = new BinNoveltyDetector();
    double[] a = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      a[i] = whole.scoreAndLearn(i * 60_000L, values[i]);
    }
    for (int i = 0; i <= 450; i++) {
      assertThat(prefix.scoreAndLearn(i * 60_000L, values[i])).isEqualTo(a[i]);
    }
  }
}

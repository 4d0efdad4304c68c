package dev.vigil.rca.offline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Order statistics for robust scoring. */
final class RobustStats {
  /** Spread floor relative to the magnitude of the normal median. */
  static final double RELATIVE_FLOOR = 0.05;

  /** Spread floor for latencies in milliseconds: changes below a millisecond are noise. */
  static final double MIN_LATENCY_SPREAD_MILLIS = 1.0;

  /** Spread floor for ratios (error rates): one point of percentage. */
  static final double MIN_RATIO_SPREAD = 0.01;

  /**
   * Score given to a change of a series that did not vary at all in its normal window (so any
   * change is infinitely many spreads away): weak evidence, not proof.
   */
  static final double DEGENERATE_SCORE = 3.0;

  /**
   * How far (times) an excursion of the normal window must stand above all smaller ones to count as
   * an earlier incident rather than as the series' usual behaviour: the weak-evidence level of a
   * change, {@link #DEGENERATE_SCORE}.
   */
  static final double EARLIER_INCIDENT_RATIO = DEGENERATE_SCORE;

  private RobustStats() {}

  /** The q-quantile of sorted values, linearly interpolated. */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  /** The change of a series at the incident: normal [from, incident), abnormal [incident, to). */
  static SeriesChange change(Series s, long from, long incident, long to, AnalysisConfig config) {
    double[] normal = new double[s.size()];
    double[] normalInTime = new double[s.size()];
    long[] normalTimes = new long[s.size()];
    double[] abnormal = new double[s.size()];
    int n = 0;
    int a = 0;
    for (int i = 0; i < s.size(); i++) {
      long t = s.time(i);
      double v = s.value(i);
      if (Double.isNaN(v)) {
        continue;
      }
      if (t >= from && t < incident) {
        normalInTime[n] = v;
        normalTimes[n] = t;
        normal[n++] = v;
      } else if (t >= incident && t < to) {
        abnormal[a++] = v;
      }
    }
    normal = Arrays.copyOf(normal, n);
    abnormal = Arrays.copyOf(abnormal, a);
    Arrays.sort(normal);
    Arrays.sort(abnormal);
    double before = quantile(normal, 0.5);
    double up = quantile(abnormal, config.abnormalQuantile());
    double down = quantile(abnormal, 1 - config.abnormalQuantile());
    boolean upOnly = s.key().kind().harmfulOnlyWhenUp();
    double after = a == 0 ? Double.NaN : (upOnly || up - before >= before - down ? up : down);
    if (n < config.minNormalPoints() || a == 0) {
      return new SeriesChange(s, before, after, Double.NaN, 0, 0);
    }
    double iqr = quantile(normal, 0.75) - quantile(normal, 0.25);
    double spread = Math.max(iqr, RELATIVE_FLOOR * Math.abs(before));
    spread = Math.max(spread, absoluteFloor(s.key()));
    double d = after - before;
    if (upOnly) {
      d = Math.max(0, d);
    }
    if (spread == 0) {
      spread = d == 0 ? Double.POSITIVE_INFINITY : Math.abs(d) / DEGENERATE_SCORE;
    }
    double raw = Math.abs(d) / spread;
    double[] normalScores = new double[n];
    for (int i = 0; i < n; i++) {
      double e = normalInTime[i] - before;
      normalScores[i] = (upOnly ? Math.max(0, e) : Math.abs(e)) / spread;
    }
    double usual =
        usualDeviation(
            Arrays.copyOf(normalTimes, n),
            normalScores,
            incident,
            config.onsetTolerance().toMillis());
    double reached =
        reachedBy(s, before, d, incident, incident + config.onsetTolerance().toMillis(), to);
    double timely = Math.min(raw, Math.abs(reached - before) / spread);
    return new SeriesChange(s, before, after, spread, raw, timely / Math.max(1, usual));
  }

  /**
   * How far a series had gone, in the direction of its change {@code d} from {@code before}, by the
   * time the incident's cause must have shown: the farthest of its points in [incident, by) and its
   * first point at or after {@code by} (so that a series sampled less often than the onset
   * tolerance still has one), or {@code before} if none is that way. A series that changes only
   * later responds to the incident, or to something else, rather than causing it, so its change
   * counts only as far as this (see {@link AnalysisConfig#onsetTolerance()}). O(points).
   *
   * @param incident the incident time (epoch milliseconds)
   * @param by the incident time plus the onset tolerance
   * @param to the end of the abnormal window
   */
  static double reachedBy(Series s, double before, double d, long incident, long by, long to) {
    double out = before;
    double farthest = 0;
    for (int i = 0; i < s.size() && s.time(i) < to; i++) {
      double v = s.value(i);
      if (s.time(i) < incident || Double.isNaN(v)) {
        continue;
      }
      double e = d >= 0 ? v - before : before - v;
      if (e > farthest) {
        farthest = e;
        out = v;
      }
      if (s.time(i) >= by) {
        break;
      }
    }
    return out;
  }

  /**
   * The usual deviation of a normal window, which an earlier incident inside it cannot inflate.
   *
   * <p>The window's points are grouped into excursions: runs of consecutive points that stray more
   * than one spread (score above 1), ended by a point back within it or by a gap in the data longer
   * than the onset tolerance (what happened in between is unknown). Then:
   *
   * <ul>
   *   <li>an excursion still going on at the incident that began within the onset tolerance before
   *       it is the incident's own onset (see {@link AnalysisConfig#onsetTolerance()}): left out;
   *   <li>one still going on that began earlier is the state the series was in: it stays;
   *   <li>any other excursion that stayed, for two points or more, at least {@link
   *       #EARLIER_INCIDENT_RATIO} times above the level every smaller excursion stayed at for two
   *       points (and the spread) would itself score as a sustained change against the rest of the
   *       window: it is an earlier incident and is left out, as is a next one that again stands
   *       that far above the rest. A single point that strays is a spike, which is what the usual
   *       deviation is for: it stays, but it does not keep a sustained excursion of about its
   *       height in (the abnormal value is a quantile of minutes, not one bin).
   * </ul>
   *
   * <p>The usual deviation is the largest peak left, at least 1 (the spread). So a series that
   * strays as far again and again (an idle service's spiky percentiles) keeps its discount, and one
   * that strayed once, however long, does not hide a later incident. O(n log n).
   *
   * @param times the normal points' times (epoch milliseconds), increasing
   * @param scores their scores (deviation over spread)
   * @param incident the incident time (epoch milliseconds), after every normal point
   * @param onsetTolerance how long before the incident it may have begun (milliseconds)
   */
  static double usualDeviation(long[] times, double[] scores, long incident, long onsetTolerance) {
    List<ExcursionAccumulator> excursions = new ArrayList<>();
    ExcursionAccumulator open = null;
    for (int i = 0; i < scores.length; i++) {
      if (open != null && (scores[i] <= 1 || times[i] - open.end > onsetTolerance)) {
        excursions.add(open);
        open = null;
      }
      if (scores[i] > 1) {
        if (open == null) {
          open = new ExcursionAccumulator(times[i]);
        }
        open.add(times[i], scores[i]);
      }
    }
    ExcursionAccumulator state = null;
    if (open != null) {
      if (incident - open.end > onsetTolerance) {
        excursions.add(open); // over before the incident could have begun: an earlier one
      } else if (incident - open.start > onsetTolerance) {
        excursions.add(open);
        state = open; // going on since before the incident could have begun
      } // else the incident's own onset: left out
    }
    excursions.sort(Comparator.comparingDouble((ExcursionAccumulator e) -> e.peak).reversed());
    double[] sustainedBelow = new double[excursions.size() + 1];
    for (int j = excursions.size() - 1; j >= 0; j--) {
      sustainedBelow[j] = Math.max(sustainedBelow[j + 1], excursions.get(j).sustained);
    }
    int i = 0;
    while (i < excursions.size()
        && excursions.get(i) != state
        && excursions.get(i).sustained
            >= EARLIER_INCIDENT_RATIO * Math.max(1, sustainedBelow[i + 1])) {
      i++;
    }
    return i < excursions.size() ? Math.max(1, excursions.get(i).peak) : 1;
  }

  /** One excursion of a normal window: its time span, its peak and its second-highest point. */
  private static final class ExcursionAccumulator {
    final long start;
    long end;
    double peak;
    double sustained;

    ExcursionAccumulator(long start) {
      this.start = start;
      this.end = start;
    }

    void add(long t, double score) {
      if (score > peak) {
        sustained = peak;
        peak = score;
      } else if (score > sustained) {
        sustained = score;
      }
      end = t;
    }
  }

  private static double absoluteFloor(SeriesKey key) {
    return switch (key.unit()) {
      case "ms" -> MIN_LATENCY_SPREAD_MILLIS;
      case "ratio" -> MIN_RATIO_SPREAD;
      default -> 0;
    };
  }
}

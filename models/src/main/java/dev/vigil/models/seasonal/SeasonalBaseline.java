package dev.vigil.models.seasonal;

import dev.vigil.models.IncompatibleModelException;
import dev.vigil.models.internal.Medians;
import dev.vigil.models.internal.RingState;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A robust seasonal baseline of one series: for the time slot of each point it keeps the values
 * seen in the same slot of the last days and weeks, and predicts the median with a band of {@code
 * width} scaled MADs, like a forecast's bounds. The slot length is the series' sampling step,
 * learnt from the first gaps.
 *
 * <p>Cold start: the weekly band is used once its slot has {@code minSamples} values, else the
 * daily one, else the band of the last {@code recentCapacity} values whatever their slot, so that
 * the baseline gives a usable (wider) band from the {@code minSamples}-th point on. O(days log
 * days) per point; memory O(slots per week x weeks). Not thread-safe.
 */
public final class SeasonalBaseline {
  /** Scales a MAD to the standard deviation of a normal distribution. */
  public static final double MAD_TO_SIGMA = 1.4826;

  static final long DAY_MILLIS = 86_400_000L;
  static final long WEEK_MILLIS = 7 * DAY_MILLIS;

  /** Which history a band came from. */
  public enum Source {
    NONE,
    RECENT,
    DAILY,
    WEEKLY
  }

  /**
   * The expected range of a point.
   *
   * @param median the predicted value
   * @param spread the robust standard deviation (1.4826 MAD, at least the floor)
   * @param lower median - width x spread
   * @param upper median + width x spread
   * @param source the history it came from; {@code NONE} while nothing is known
   */
  public record Band(double median, double spread, double lower, double upper, Source source) {
    /** The robust z-score of {@code x} against this band, 0 while the source is {@code NONE}. */
    public double zScore(double x) {
      return source == Source.NONE ? 0 : (x - median) / spread;
    }
  }

  private final int days;
  private final int weeks;
  private final int minSamples;
  private final double width;
  private final Ring recent;
  private final Ring gaps = new Ring(16);
  private final Map<Long, Ring> daily = new HashMap<>();
  private final Map<Long, Ring> weekly = new HashMap<>();
  private long previousTime = Long.MIN_VALUE;
  private long step;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  /**
   * @param days days of history per daily slot
   * @param weeks weeks of history per weekly slot
   * @param recentCapacity values of the cold-start band
   * @param minSamples values a slot needs before its band is used
   * @param width half-width of the band in robust standard deviations
   */
  public SeasonalBaseline(int days, int weeks, int recentCapacity, int minSamples, double width) {
    check(days > 0, "days must be greater than 0");
    check(weeks > 0, "weeks must be greater than 0");
    check(recentCapacity > 1, "recentCapacity must be greater than 1");
    check(minSamples > 0 && minSamples <= days, "minSamples must be in [1, days]");
    check(width > 0, "width must be greater than 0");
    this.days = days;
    this.weeks = weeks;
    this.minSamples = minSamples;
    this.width = width;
    this.recent = new Ring(recentCapacity);
  }

  /** Seven days, four weeks, 100 recent values, 3 samples per slot, band of 3 sigma. */
  public static SeasonalBaseline defaults() {
    return new SeasonalBaseline(7, 4, 100, 3, 3);
  }

  /**
   * What a seasonal baseline has learnt. The slot rings are packed, since a series of ten-second
   * points has tens of thousands of them after a week.
   *
   * @param recent the cold-start ring of the last values
   * @param gaps the ring of the first gaps between points, which sets the step
   * @param daily the daily rings by slot of the day
   * @param weekly the weekly rings by slot of the week
   * @param previousTime the time of the last point, {@link Long#MIN_VALUE} before the first
   * @param step the learnt sampling step in milliseconds; 0 while unknown, -1 if not seasonal
   * @param min the smallest value seen
   * @param max the largest value seen
   */
  public record State(
      RingState recent,
      RingState gaps,
      Slots daily,
      Slots weekly,
      long previousTime,
      long step,
      double min,
      double max) {}

  /**
   * Rings by slot, packed: slot {@code slots[i]} holds {@code sizes[i]} values, oldest first, that
   * follow those of the slots before it in {@code values}.
   *
   * @param slots the slots, ascending
   * @param sizes the number of values of each slot
   * @param values the values of every slot, slot after slot
   */
  public record Slots(long[] slots, int[] sizes, double[] values) {
    /** Copies the arrays. */
    public Slots {
      slots = slots.clone();
      sizes = sizes.clone();
      values = values.clone();
    }

    @Override
    public long[] slots() {
      return slots.clone();
    }

    @Override
    public int[] sizes() {
      return sizes.clone();
    }

    @Override
    public double[] values() {
      return values.clone();
    }

    static Slots of(Map<Long, Ring> rings) {
      long[] slots = rings.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
      int[] sizes = new int[slots.length];
      double[] values = new double[rings.values().stream().mapToInt(r -> r.size).sum()];
      int at = 0;
      for (int i = 0; i < slots.length; i++) {
        double[] v = rings.get(slots[i]).state().values();
        sizes[i] = v.length;
        System.arraycopy(v, 0, values, at, v.length);
        at += v.length;
      }
      return new Slots(slots, sizes, values);
    }

    void restoreInto(Map<Long, Ring> rings, int capacity, String what) {
      if (sizes.length != slots.length
          || Arrays.stream(sizes).asLongStream().sum() != values.length) {
        throw new IncompatibleModelException(what + " rings are inconsistent");
      }
      rings.clear();
      int at = 0;
      for (int i = 0; i < slots.length; i++) {
        if (sizes[i] < 0) {
          throw new IncompatibleModelException(what + " ring has a negative size");
        }
        RingState ring = new RingState(Arrays.copyOfRange(values, at, at + sizes[i]));
        rings.put(slots[i], Ring.of(ring, capacity, what));
        at += sizes[i];
      }
    }
  }

  /** What the baseline has learnt, for a snapshot. */
  public State state() {
    return new State(
        recent.state(),
        gaps.state(),
        Slots.of(daily),
        Slots.of(weekly),
        previousTime,
        step,
        min,
        max);
  }

  /**
   * Replaces what the baseline has learnt by a {@link #state()} of a baseline with the same
   * parameters. On failure the baseline is left half-restored and must be discarded.
   *
   * @throws IncompatibleModelException if the state does not fit this baseline's parameters
   */
  public void restore(State state) {
    recent.restore(state.recent(), "seasonal baseline recent values");
    gaps.restore(state.gaps(), "seasonal baseline gaps");
    state.daily().restoreInto(daily, days, "seasonal baseline daily");
    state.weekly().restoreInto(weekly, weeks, "seasonal baseline weekly");
    previousTime = state.previousTime();
    step = state.step();
    min = state.min();
    max = state.max();
  }

  /** The band for a point at {@code epochMillis}, from what was learnt before it. */
  public Band expected(long epochMillis) {
    if (step > 0) {
      Ring w = weekly.get(slot(epochMillis, WEEK_MILLIS));
      if (w != null && w.size >= minSamples) {
        return band(w, Source.WEEKLY);
      }
      Ring d = daily.get(slot(epochMillis, DAY_MILLIS));
      if (d != null && d.size >= minSamples) {
        return band(d, Source.DAILY);
      }
    }
    if (recent.size >= minSamples) {
      return band(recent, Source.RECENT);
    }
    return new Band(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Source.NONE);
  }

  /** Learns the point. Non-finite values are ignored. */
  public void learn(long epochMillis, double value) {
    if (!Double.isFinite(value)) {
      return;
    }
    if (previousTime != Long.MIN_VALUE && epochMillis > previousTime) {
      gaps.add(epochMillis - previousTime);
      if (step == 0 && gaps.size >= 8) {
        long s = (long) gaps.median();
        // Seasonal slots only make sense for steps of at most an hour.
        step = s > 0 && s <= DAY_MILLIS / 24 ? s : -1;
      }
    }
    previousTime = epochMillis;
    recent.add(value);
    min = Math.min(min, value);
    max = Math.max(max, value);
    if (step > 0) {
      daily.computeIfAbsent(slot(epochMillis, DAY_MILLIS), k -> new Ring(days)).add(value);
      weekly.computeIfAbsent(slot(epochMillis, WEEK_MILLIS), k -> new Ring(weeks)).add(value);
    }
  }

  private long slot(long epochMillis, long period) {
    return Math.floorMod(epochMillis, period) / step;
  }

  private Band band(Ring ring, Source source) {
    double[] v = ring.sorted();
    double median = Medians.ofSorted(v);
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.abs(v[i] - median);
    }
    Arrays.sort(v);
    // Floor: 1% of the range seen so far, so that a series that was flat does not alarm on noise.
    double floor = Math.max(0.01 * (max - min), 1e-9);
    double spread = Math.max(MAD_TO_SIGMA * Medians.ofSorted(v), floor);
    return new Band(median, spread, median - width * spread, median + width * spread, source);
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** A fixed-size ring of the latest values. */
  static final class Ring {
    private final double[] values;
    private int size;
    private int next;

    Ring(int capacity) {
      values = new double[capacity];
    }

    static Ring of(RingState state, int capacity, String what) {
      Ring ring = new Ring(capacity);
      ring.restore(state, what);
      return ring;
    }

    RingState state() {
      return RingState.of(values, size, next);
    }

    void restore(RingState state, String what) {
      state.copyInto(values, what);
      size = state.size();
      next = size % values.length;
    }

    void add(double v) {
      values[next] = v;
      next = (next + 1) % values.length;
      size = Math.min(size + 1, values.length);
    }

    double[] sorted() {
      double[] v = Arrays.copyOf(values, size);
      Arrays.sort(v);
      return v;
    }

    double median() {
      return Medians.ofSorted(sorted());
    }
  }
}

package dev.vigil.models;

import dev.vigil.models.internal.MannKendall;
import dev.vigil.models.internal.Medians;
import dev.vigil.models.internal.RingState;
import java.util.Arrays;

/**
 * Median and MAD of the last {@code capacity} values of one series, for robust z-scores. Only
 * values the caller judged normal should be added, so that an incident does not become its own
 * baseline. O(capacity log capacity) per query; capacity is small (tens of windows).
 */
public final class RobustBaseline {
  /** Scales the MAD to the standard deviation of a normal distribution. */
  public static final double MAD_TO_SIGMA = 1.4826;

  private final double[] ring;
  private int size;
  private int next;

  public RobustBaseline(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be greater than 0");
    }
    this.ring = new double[capacity];
  }

  public void add(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return;
    }
    ring[next] = value;
    next = (next + 1) % ring.length;
    size = Math.min(size + 1, ring.length);
  }

  /** What the baseline has learnt, for a snapshot. */
  public RingState state() {
    return RingState.of(ring, size, next);
  }

  /**
   * Replaces what the baseline has learnt by a {@link #state()} of a baseline of the same capacity.
   *
   * @throws IncompatibleModelException if the capacity differs
   */
  public void restore(RingState state) {
    state.copyInto(ring, "robust baseline state");
    size = state.size();
    next = size % ring.length;
  }

  public int size() {
    return size;
  }

  public double median() {
    return size == 0 ? Double.NaN : Medians.ofSorted(sorted());
  }

  /** Median absolute deviation from the median. */
  public double mad() {
    if (size == 0) {
      return Double.NaN;
    }
    double[] v = sorted();
    double m = Medians.ofSorted(v);
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.abs(v[i] - m);
    }
    return Medians.sortingInPlace(v);
  }

  /**
   * (x - median) / spread, where spread is 1.4826 MAD but at least {@code minSpread}, so that a
   * series that has been constant does not turn every small change into an infinite score.
   */
  public double zScore(double x, double minSpread) {
    double spread = Math.max(MAD_TO_SIGMA * mad(), minSpread);
    return (x - median()) / spread;
  }

  /**
   * The Mann-Kendall z of the learnt values, oldest first, followed by {@code next}: how
   * significantly the series has been rising through what was learnt up to {@code next}.
   */
  public double trendZ(double next) {
    double[] v = new double[size + 1];
    int oldest = size < ring.length ? 0 : this.next;
    for (int i = 0; i < size; i++) {
      v[i] = ring[(oldest + i) % ring.length];
    }
    v[size] = next;
    return MannKendall.z(v);
  }

  private double[] sorted() {
    double[] v = Arrays.copyOf(ring, size);
    Arrays.sort(v);
    return v;
  }
}

package dev.vigil.rca.offline;

import java.util.Arrays;

/**
 * A time series of one {@link SeriesKey}: strictly increasing times (epoch milliseconds) and their
 * values. Immutable: the arrays are copied in and out.
 */
public final class Series {
  private final SeriesKey key;
  private final long[] times;
  private final double[] values;

  public Series(SeriesKey key, long[] times, double[] values) {
    if (times.length != values.length) {
      throw new IllegalArgumentException("times and values must have the same length");
    }
    this.key = key;
    this.times = times.clone();
    this.values = values.clone();
  }

  public SeriesKey key() {
    return key;
  }

  public int size() {
    return times.length;
  }

  public long time(int i) {
    return times[i];
  }

  public double value(int i) {
    return values[i];
  }

  /** The value at or before {@code t}, if no older than {@code maxAgeMillis}; NaN otherwise. */
  public double valueAt(long t, long maxAgeMillis) {
    int i = Arrays.binarySearch(times, t);
    if (i < 0) {
      i = -i - 2;
    }
    if (i < 0 || t - times[i] > maxAgeMillis) {
      return Double.NaN;
    }
    return values[i];
  }

  @Override
  public String toString() {
    return "Series{" + key + ", " + times.length + " points}";
  }
}

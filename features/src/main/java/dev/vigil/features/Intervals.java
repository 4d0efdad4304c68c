package dev.vigil.features;

import java.util.List;

/** Interval arithmetic on {@code [start, end]} pairs of epoch nanoseconds. */
public final class Intervals {
  private Intervals() {}

  /**
   * Total length of the union of intervals, clipped to {@code [from, to]}: the time a span spent
   * waiting on at least one of its calls. Sorts {@code intervals} by start.
   */
  public static long unionLength(List<long[]> intervals, long from, long to) {
    intervals.sort((a, b) -> Long.compare(a[0], b[0]));
    long total = 0;
    long curStart = 0;
    long curEnd = Long.MIN_VALUE;
    for (long[] iv : intervals) {
      long s = Math.max(iv[0], from);
      long t = Math.min(iv[1], to);
      if (t <= s) {
        continue;
      }
      if (curEnd == Long.MIN_VALUE || s > curEnd) {
        total += curEnd == Long.MIN_VALUE ? 0 : curEnd - curStart;
        curStart = s;
        curEnd = t;
      } else {
        curEnd = Math.max(curEnd, t);
      }
    }
    return total + (curEnd == Long.MIN_VALUE ? 0 : curEnd - curStart);
  }
}

package dev.vigil.features;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A relative-error quantile sketch over positive values: a logarithmically bucketed histogram in
 * the manner of DDSketch (Masson, Rim and Lee, "DDSketch: a fast and fully-mergeable quantile
 * sketch with relative-error guarantees", VLDB 2019). Every quantile it returns is within {@link
 * #RELATIVE_ACCURACY} of a value of the true distribution at that rank.
 *
 * <p>Written here rather than taken from a library because the reference Java implementation is not
 * among the project's vetted dependencies and the part needed (insert, quantile) is small.
 * Insertion is O(1) amortised; quantile is O(buckets). Memory is bounded by the dynamic range:
 * about 1,150 buckets cover 1 microsecond to 1 hour.
 */
final class LatencySketch {
  static final double RELATIVE_ACCURACY = 0.01;
  private static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
  private static final double LOG_GAMMA = Math.log(GAMMA);

  /** Values at or below this are counted as zero (nanosecond-scale durations). */
  private static final double MIN_POSITIVE = 1e-9;

  private long[] counts = new long[0];
  private int offset;
  private long zeroCount;
  private long count;
  private double sum;

  void add(double value) {
    count++;
    sum += value;
    if (!(value > MIN_POSITIVE)) {
      zeroCount++;
      return;
    }
    int index = (int) Math.ceil(Math.log(value) / LOG_GAMMA);
    if (counts.length == 0) {
      counts = new long[16];
      offset = index - 8;
    } else if (index < offset || index >= offset + counts.length) {
      grow(index);
    }
    counts[index - offset]++;
  }

  private void grow(int index) {
    int lo = Math.min(offset, index);
    int hi = Math.max(offset + counts.length, index + 1);
    int size = Math.max(hi - lo, counts.length * 2);
    long[] next = new long[size];
    int newOffset = index < offset ? hi - size : lo;
    System.arraycopy(counts, 0, next, offset - newOffset, counts.length);
    counts = next;
    offset = newOffset;
  }

  /** Adds every value of {@code other} (DDSketch's merge: bucket counts add up). O(buckets). */
  void merge(LatencySketch other) {
    if (other.count == 0) {
      return;
    }
    count += other.count;
    sum += other.sum;
    zeroCount += other.zeroCount;
    for (int i = 0; i < other.counts.length; i++) {
      long c = other.counts[i];
      if (c == 0) {
        continue;
      }
      int index = i + other.offset;
      if (counts.length == 0) {
        counts = new long[16];
        offset = index - 8;
      } else if (index < offset || index >= offset + counts.length) {
        grow(index);
      }
      counts[index - offset] += c;
    }
  }

  /** Writes the non-empty bucket range; {@link #read} gives an equal sketch. */
  void write(DataOutput out) throws IOException {
    out.writeLong(count);
    out.writeDouble(sum);
    out.writeLong(zeroCount);
    int lo = 0;
    int hi = counts.length;
    while (lo < hi && counts[lo] == 0) {
      lo++;
    }
    while (hi > lo && counts[hi - 1] == 0) {
      hi--;
    }
    out.writeInt(offset + lo);
    out.writeInt(hi - lo);
    for (int i = lo; i < hi; i++) {
      out.writeLong(counts[i]);
    }
  }

  static LatencySketch read(DataInput in) throws IOException {
    LatencySketch s = new LatencySketch();
    s.count = in.readLong();
    s.sum = in.readDouble();
    s.zeroCount = in.readLong();
    s.offset = in.readInt();
    int n = in.readInt();
    if (n < 0 || n > 1 << 16) {
      throw new IOException("corrupt latency sketch: " + n + " buckets");
    }
    s.counts = new long[n];
    for (int i = 0; i < n; i++) {
      s.counts[i] = in.readLong();
    }
    return s;
  }

  long count() {
    return count;
  }

  double mean() {
    return count == 0 ? Double.NaN : sum / count;
  }

  /** The q-quantile (0 <= q <= 1), or NaN when empty. */
  double quantile(double q) {
    if (count == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.floor(q * (count - 1));
    if (rank < zeroCount) {
      return 0;
    }
    long seen = zeroCount;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen > rank) {
        return 2 * Math.pow(GAMMA, i + offset) / (GAMMA + 1);
      }
    }
    return 2 * Math.pow(GAMMA, counts.length - 1 + offset) / (GAMMA + 1);
  }

  @Override
  public String toString() {
    return "LatencySketch{count="
        + count
        + ", buckets="
        + Arrays.stream(counts).filter(c -> c > 0).count()
        + "}";
  }
}

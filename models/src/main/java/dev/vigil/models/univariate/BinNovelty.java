package dev.vigil.models.univariate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Novelty by value bins: the range learnt so far, widened by a margin on each side, is cut into
 * equal bins, and a value is new when it falls in a bin not visited since the range was last reset.
 * A value beyond the range by more than the margin is new too and resets it: the grid is laid again
 * over the grown range and every bin becomes unvisited, so the first values of a new regime read as
 * new until they repeat.
 *
 * <p>This is the quantisation and range restart of the Contextual Anomaly Detector (CAD OSE, M.
 * Smirnov, NAB 2016) without its context memory: on NAB the first visit to a bin carried nearly all
 * of the signal, and the context memory (previous bins predicting the current one) scored lower
 * once alarms were debounced. Unlike CAD OSE, which takes the range of the whole file from NAB, the
 * range here is learnt online (the first {@code warmUp} values only set it), and a restart keeps
 * what was visited instead of forgetting it. O(1) per point, O(bins) per regrid; the visited set
 * holds about {@code bins} entries. Not thread-safe.
 */
final class BinNovelty {
  private final int bins;
  private final double margin;
  private final int warmUp;
  private final Set<Integer> visited = new HashSet<>();
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  private double base;
  private double width;
  private long count;

  /**
   * @param bins the number of bins over the widened range, at least 1
   * @param margin the widening on each side as a share of the range, and the distance beyond the
   *     range, as a share of it, that resets the grid
   * @param warmUp values that only set the range, at least 1
   */
  BinNovelty(int bins, double margin, int warmUp) {
    if (bins < 1) {
      throw new IllegalArgumentException("bins must be at least 1, was " + bins);
    }
    if (!(margin >= 0)) {
      throw new IllegalArgumentException("margin must be at least 0, was " + margin);
    }
    if (warmUp < 1) {
      throw new IllegalArgumentException("warmUp must be at least 1, was " + warmUp);
    }
    this.bins = bins;
    this.margin = margin;
    this.warmUp = warmUp;
  }

  /**
   * What it has learnt: the visited bins (sorted), the range, the grid and the number of values.
   */
  record State(int[] visited, double min, double max, double base, double width, long count) {
    State {
      visited = visited.clone();
    }

    @Override
    public int[] visited() {
      return visited.clone();
    }
  }

  State state() {
    return new State(
        visited.stream().mapToInt(Integer::intValue).sorted().toArray(),
        min,
        max,
        base,
        width,
        count);
  }

  void restore(State state) {
    visited.clear();
    for (int bin : state.visited()) {
      visited.add(bin);
    }
    min = state.min();
    max = state.max();
    base = state.base();
    width = state.width();
    count = state.count();
  }

  /** Whether the value is new (see the class comment); then learns it. Non-finite: not new. */
  boolean isNewAndLearn(double x) {
    if (!Double.isFinite(x)) {
      return false;
    }
    count++;
    if (count <= warmUp) {
      min = Math.min(min, x);
      max = Math.max(max, x);
      if (count == warmUp) {
        layGrid();
      }
      return false;
    }
    double tolerance = margin * (max - min);
    boolean beyond = x > max + tolerance || x < min - tolerance;
    min = Math.min(min, x);
    max = Math.max(max, x);
    if (beyond) {
      regrid();
      return true;
    }
    return visited.add(bin(x));
  }

  /** Lays the grid over the grown range; the bins that held the old bins' centres stay visited. */
  private void regrid() {
    double oldBase = base;
    double oldWidth = width;
    List<Integer> old = new ArrayList<>(visited);
    layGrid();
    visited.clear();
    for (int bin : old) {
      visited.add(bin(oldBase + (bin + 0.5) * oldWidth));
    }
  }

  private int bin(double x) {
    return (int) Math.floor((x - base) / width);
  }

  private void layGrid() {
    double span = max - min;
    if (span <= 0) {
      span = Math.max(Math.abs(max), 1e-9) * 0.01 + 1e-9;
    }
    base = min - margin * span;
    width = span * (1 + 2 * margin) / bins;
  }
}

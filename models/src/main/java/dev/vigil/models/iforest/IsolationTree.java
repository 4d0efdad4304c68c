package dev.vigil.models.iforest;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One isolation tree in flat arrays: node {@code i} splits on {@code feature[i] < split[i]} into
 * {@code left[i]} and {@code right[i]}, or is a leaf ({@code feature[i] == -1}) that held {@code
 * size[i]} training rows. Immutable once built; the arrays are never exposed.
 */
final class IsolationTree {
  final int[] feature;
  final double[] split;
  final int[] left;
  final int[] right;
  final int[] size;

  IsolationTree(int[] feature, double[] split, int[] left, int[] right, int[] size) {
    int n = feature.length;
    if (split.length != n || left.length != n || right.length != n || size.length != n) {
      throw new IllegalArgumentException("tree arrays must have the same length");
    }
    this.feature = feature.clone();
    this.split = split.clone();
    this.left = left.clone();
    this.right = right.clone();
    this.size = size.clone();
  }

  /** Grows a tree on {@code rows} (each row one point), up to {@code heightLimit}. */
  static IsolationTree grow(double[][] rows, int heightLimit, SplittableRandom random) {
    Builder b = new Builder(rows.length * 2);
    int[] index = new int[rows.length];
    Arrays.setAll(index, i -> i);
    b.build(rows, index, 0, rows.length, 0, heightLimit, random);
    return b.toTree();
  }

  /** The path length of {@code x}: the depth of its leaf plus {@code c(leaf size)}. */
  double pathLength(double[] x) {
    int node = 0;
    int depth = 0;
    while (feature[node] >= 0) {
      node = x[feature[node]] < split[node] ? left[node] : right[node];
      depth++;
    }
    return depth + IsolationForest.averagePathLength(size[node]);
  }

  int nodeCount() {
    return feature.length;
  }

  private static final class Builder {
    private int[] feature;
    private double[] split;
    private int[] left;
    private int[] right;
    private int[] size;
    private int count;

    Builder(int capacity) {
      feature = new int[capacity];
      split = new double[capacity];
      left = new int[capacity];
      right = new int[capacity];
      size = new int[capacity];
    }

    int build(
        double[][] rows,
        int[] index,
        int from,
        int to,
        int depth,
        int heightLimit,
        SplittableRandom random) {
      int node = count++;
      ensure(count);
      feature[node] = -1;
      size[node] = to - from;
      if (depth >= heightLimit || to - from <= 1) {
        return node;
      }
      int dims = rows[index[from]].length;
      // Try the features in a random order until one is not constant on this node.
      int start = random.nextInt(dims);
      for (int k = 0; k < dims; k++) {
        int f = (start + k) % dims;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
          double v = rows[index[i]][f];
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        if (max > min) {
          double s = min + random.nextDouble() * (max - min);
          if (s <= min) {
            s = Math.nextUp(min);
          }
          int mid = partition(rows, index, from, to, f, s);
          feature[node] = f;
          split[node] = s;
          int l = build(rows, index, from, mid, depth + 1, heightLimit, random);
          int r = build(rows, index, mid, to, depth + 1, heightLimit, random);
          left[node] = l;
          right[node] = r;
          return node;
        }
      }
      return node;
    }

    private static int partition(double[][] rows, int[] index, int from, int to, int f, double s) {
      int i = from;
      int j = to - 1;
      while (i <= j) {
        if (rows[index[i]][f] < s) {
          i++;
        } else {
          int t = index[i];
          index[i] = index[j];
          index[j] = t;
          j--;
        }
      }
      return i;
    }

    private void ensure(int n) {
      if (n > feature.length) {
        int c = Math.max(n, feature.length * 2);
        feature = Arrays.copyOf(feature, c);
        split = Arrays.copyOf(split, c);
        left = Arrays.copyOf(left, c);
        right = Arrays.copyOf(right, c);
        size = Arrays.copyOf(size, c);
      }
    }

    IsolationTree toTree() {
      return new IsolationTree(
          Arrays.copyOf(feature, count),
          Arrays.copyOf(split, count),
          Arrays.copyOf(left, count),
          Arrays.copyOf(right, count),
          Arrays.copyOf(size, count));
    }
  }
}

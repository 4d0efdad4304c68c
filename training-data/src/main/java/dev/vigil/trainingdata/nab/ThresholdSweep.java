package dev.vigil.trainingdata.nab;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * NAB's threshold optimisation ({@code Sweeper.calcScoreByThreshold} followed by the optimiser's
 * stable sort by score): pools the non-probationary rows of all files, walks them from the highest
 * anomaly score down and evaluates the raw score at 1.1 (no detections) and at every distinct
 * anomaly score. The best score wins; ties go to the highest threshold. Runs in O(n log n + d * w)
 * for n pooled rows, d distinct scores and w windows.
 */
final class ThresholdSweep {

  /** NAB's first candidate threshold, above every score: nothing is detected. */
  static final double NO_DETECTION_THRESHOLD = 1.1;

  private ThresholdSweep() {}

  /** The best candidate threshold and the pooled raw score there. */
  record Best(double threshold, double rawScore) {}

  /** Finds the best threshold for the files' anomaly scores, given in the order of the sweeps. */
  static Best optimise(List<FileSweep> sweeps, List<double[]> anomalyScores, double fnWeight) {
    int size = 0;
    for (FileSweep sweep : sweeps) {
      size += Math.max(0, sweep.window().length - sweep.probation());
    }
    double[] score = new double[size];
    double[] sweepScore = new double[size];
    int[] window = new int[size];
    int row = 0;
    int windowOffset = 0;
    for (int f = 0; f < sweeps.size(); f++) {
      FileSweep sweep = sweeps.get(f);
      double[] scores = anomalyScores.get(f);
      for (int i = sweep.probation(); i < sweep.window().length; i++, row++) {
        score[row] = scores[i];
        sweepScore[row] = sweep.sweep()[i];
        window[row] = sweep.window()[i] < 0 ? -1 : windowOffset + sweep.window()[i];
      }
      windowOffset += sweep.windowCount();
    }
    Integer[] order = new Integer[size];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> score[i]).reversed());

    // Score parts as NAB keeps them: "fp" first, then each window in order of first appearance.
    int[] slot = new int[windowOffset];
    Arrays.fill(slot, -1);
    int slots = 1;
    for (int i : order) {
      if (window[i] >= 0 && slot[window[i]] < 0) {
        slot[window[i]] = slots++;
      }
    }
    double[] parts = new double[slots];
    Arrays.fill(parts, 1, slots, -fnWeight);

    double threshold = NO_DETECTION_THRESHOLD;
    double bestThreshold = threshold;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i : order) {
      if (score[i] != threshold) {
        double current = sum(parts);
        if (current > bestScore) {
          bestScore = current;
          bestThreshold = threshold;
        }
        threshold = score[i];
      }
      if (window[i] < 0) {
        parts[0] += sweepScore[i];
      } else {
        int s = slot[window[i]];
        parts[s] = Math.max(parts[s], sweepScore[i]);
      }
    }
    double last = sum(parts);
    if (last > bestScore) {
      bestScore = last;
      bestThreshold = threshold;
    }
    return new Best(bestThreshold, bestScore);
  }

  private static double sum(double[] parts) {
    double total = 0;
    for (double part : parts) {
      total += part;
    }
    return total;
  }
}

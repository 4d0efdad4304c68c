package dev.vigil.models.univariate;

import dev.vigil.models.internal.RingState;

/**
 * Debounces a score stream: a score passes only if it is strictly above every score of the last
 * {@code length} points, otherwise it becomes 0. Whatever threshold is applied afterwards, a run of
 * high scores then raises one alarm at its start (plus one for each new high), which is what an
 * operator wants and what the Numenta Anomaly Benchmark rewards: only the earliest detection in a
 * window counts and every later one outside it costs. O(length) per point. Not thread-safe.
 */
final class RepeatSuppression {
  private final double[] recent;
  private int next;
  private int size;

  /**
   * @param length the number of earlier scores a score must beat, at least 1
   */
  RepeatSuppression(int length) {
    if (length < 1) {
      throw new IllegalArgumentException("length must be at least 1, was " + length);
    }
    this.recent = new double[length];
  }

  /** What it remembers: the last scores. */
  record State(RingState recent) {}

  State state() {
    return new State(RingState.of(recent, size, next));
  }

  void restore(State state) {
    state.recent().copyInto(recent, "debounce state");
    size = state.recent().size();
    next = size % recent.length;
  }

  /** The debounced score of {@code score}; then remembers {@code score} itself. */
  double apply(double score) {
    double highest = 0;
    for (int i = 0; i < size; i++) {
      highest = Math.max(highest, recent[i]);
    }
    recent[next] = score;
    next = (next + 1) % recent.length;
    size = Math.min(size + 1, recent.length);
    return score > highest ? score : 0;
  }
}

package dev.vigil.models.univariate;

/**
 * How far a non-negative signal goes beyond the largest value it has reached before: {@code r = s /
 * (max_past * (1 + early * exp(-n / tau)))}, reported as {@code r / (1 + r)} so that 0.5 means
 * "equals the record". The damping term asks more of a young series, whose record is still low.
 * Points before {@code learnPeriod} report 0 but set the record from {@code recordFrom} on. O(1)
 * per point. Not thread-safe.
 */
final class RecordNovelty {
  private final int recordFrom;
  private final int learnPeriod;
  private final double early;
  private final double tau;
  private double record;
  private long count;

  RecordNovelty(int recordFrom, int learnPeriod, double early, double tau) {
    this.recordFrom = recordFrom;
    this.learnPeriod = learnPeriod;
    this.early = early;
    this.tau = tau;
  }

  /** What it has learnt: the record and the number of signals. */
  record State(double record, long count) {}

  State state() {
    return new State(record, count);
  }

  void restore(State state) {
    record = state.record();
    count = state.count();
  }

  /** Scores the signal value against the record, then updates the record. Negative: not ready. */
  double update(double signal) {
    if (!(signal >= 0) || Double.isInfinite(signal)) {
      return 0;
    }
    count++;
    double score = 0;
    if (count >= learnPeriod && record > 0) {
      double r = signal / (record * (1 + early * Math.exp(-count / tau)));
      score = r / (1 + r);
    }
    if (count >= recordFrom) {
      record = Math.max(record, signal);
    }
    return score;
  }
}

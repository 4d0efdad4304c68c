package dev.vigil.models;

/**
 * A streaming anomaly detector over one numeric series, such as a single metric or one file of the
 * Numenta Anomaly Benchmark.
 *
 * <p>Points arrive in event-time order. {@link #scoreAndLearn} first scores the point against what
 * the detector has learnt from the earlier points and only then learns from it, so a score never
 * depends on the point itself being in the model nor on any later point (no look-ahead). This is
 * the contract that makes a detector's benchmark score comparable to an online deployment.
 *
 * <p>Implementations keep per-series state and need not be thread-safe: use one instance per
 * series, for example by passing a {@code Supplier<UnivariateDetector>} to whatever runs several
 * series.
 */
public interface UnivariateDetector {

  /**
   * Scores the point, then updates the detector with it.
   *
   * @param epochMillis the event time of the point, in milliseconds since the epoch (UTC); series
   *     may repeat a timestamp
   * @param value the observed value
   * @return the anomaly score of the point in {@code [0, 1]}, where higher means more anomalous;
   *     computed before the detector learns from this point
   */
  double scoreAndLearn(long epochMillis, double value);

  /**
   * A short stable name for reports and result paths, e.g. {@code rolling_zscore}. It should use
   * only letters, digits, {@code _}, {@code -} and {@code .}.
   */
  String name();

  /**
   * The last point's score before any smoothing meant for benchmark scoring (such as the debounce
   * that makes a run of alarms count once in NAB): what a live service with its own alert lifecycle
   * should threshold. By default the score {@link #scoreAndLearn} returned.
   */
  default double lastRawScore() {
    return Double.NaN;
  }

  /**
   * What the detector has learnt, as bytes that {@link #restore} of a fresh detector of the same
   * kind reads back exactly: fed the same points, the restored detector returns the same scores.
   *
   * @throws UnsupportedOperationException if the detector cannot save its state (the default)
   */
  default byte[] snapshot() {
    throw new UnsupportedOperationException(
        "the " + name() + " detector cannot save what it has learnt");
  }

  /**
   * Replaces what this fresh detector has learnt by a {@link #snapshot()} of one of the same kind.
   * On failure the detector may be half-restored and must be discarded.
   *
   * @throws IncompatibleModelException if the bytes are not such a snapshot
   * @throws UnsupportedOperationException if the detector cannot restore a state (the default)
   */
  default void restore(byte[] state) {
    throw new UnsupportedOperationException(
        "the " + name() + " detector cannot restore what it has learnt");
  }
}

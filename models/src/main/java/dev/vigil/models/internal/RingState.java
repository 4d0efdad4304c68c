package dev.vigil.models.internal;

import dev.vigil.models.IncompatibleModelException;
import java.util.Arrays;

/**
 * The state of a fixed-capacity ring of the latest values: the values it holds, oldest first. A
 * ring restored from it holds the same values and evicts them in the same order, so anything that
 * depends on the ring's content (its median, its maximum) is computed exactly as before; only the
 * slot each value sits in may differ.
 *
 * @param values the values held, oldest first; at most the ring's capacity
 */
public record RingState(double[] values) {

  /** Copies the values. */
  public RingState {
    values = values.clone();
  }

  /** The state of a ring whose {@code size} filled slots end just before slot {@code next}. */
  public static RingState of(double[] ring, int size, int next) {
    if (size < ring.length) {
      return new RingState(Arrays.copyOf(ring, size));
    }
    double[] out = new double[ring.length];
    System.arraycopy(ring, next, out, 0, ring.length - next);
    System.arraycopy(ring, 0, out, ring.length - next, next);
    return new RingState(out);
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  /** Number of values held. */
  public int size() {
    return values.length;
  }

  /**
   * Writes the values into {@code ring} from slot 0 and clears the other slots; the ring's size is
   * then {@link #size()} and its next slot {@code size() % ring.length}.
   *
   * @throws IncompatibleModelException if there are more values than the ring holds
   */
  public void copyInto(double[] ring, String what) {
    if (values.length > ring.length) {
      throw new IncompatibleModelException(
          what + " holds " + values.length + " values but this build keeps " + ring.length);
    }
    Arrays.fill(ring, 0);
    System.arraycopy(values, 0, ring, 0, values.length);
  }
}

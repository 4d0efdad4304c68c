package dev.vigil.models.internal;

import dev.vigil.models.IncompatibleModelException;

/**
 * The state of a fixed-capacity ring of the latest values: its slots, how many are filled, and the
 * slot written next.
 *
 * @param values the slots, of length the ring's capacity
 * @param size filled slots
 * @param next the slot written next
 */
public record RingState(double[] values, int size, int next) {

  /** Copies the slots. */
  public RingState {
    values = values.clone();
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  /**
   * Checks that the state fits a ring of the given capacity.
   *
   * @throws IncompatibleModelException otherwise
   */
  public RingState requireCapacity(int capacity, String what) {
    if (values.length != capacity || size < 0 || size > capacity || next < 0 || next >= capacity) {
      throw new IncompatibleModelException(
          what
              + " has a ring of "
              + values.length
              + " values (size "
              + size
              + ", next "
              + next
              + ") but this build keeps "
              + capacity);
    }
    return this;
  }
}

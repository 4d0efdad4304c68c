package dev.vigil.trainingdata.sim;

import io.opentelemetry.sdk.common.Clock;

/**
 * The simulator's clock for the SDK's meter and logger providers: the simulated time, in epoch
 * nanoseconds, that the simulation loop sets as it goes. Point, exemplar and observed log
 * timestamps that the SDK takes from its clock are thus simulated time, like the spans'. Written by
 * the simulation thread, read by any.
 */
final class SimulatedClock implements Clock {
  private volatile long epochNanos;

  SimulatedClock(long epochNanos) {
    this.epochNanos = epochNanos;
  }

  /** Moves the clock; it never goes back. */
  void set(long epochNanos) {
    if (epochNanos > this.epochNanos) {
      this.epochNanos = epochNanos;
    }
  }

  @Override
  public long now() {
    return epochNanos;
  }

  /** The simulated time too: the SDK only takes differences of it. */
  @Override
  public long nanoTime() {
    return epochNanos;
  }
}

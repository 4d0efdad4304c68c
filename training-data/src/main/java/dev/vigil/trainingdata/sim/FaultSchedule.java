package dev.vigil.trainingdata.sim;

import dev.vigil.telemetry.EpochNanos;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** When which faults are active, on the simulated clock. */
public final class FaultSchedule {
  private record Entry(Fault fault, Instant from, Instant until) {}

  private final List<Entry> entries;

  private FaultSchedule(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  public static FaultSchedule none() {
    return new FaultSchedule(List.of());
  }

  /** The fault is active from {@code from} on. */
  public static FaultSchedule at(Fault fault, Instant from) {
    return between(fault, from, Instant.MAX);
  }

  /** The fault is active in [from, until). */
  public static FaultSchedule between(Fault fault, Instant from, Instant until) {
    if (!until.isAfter(from)) {
      throw new IllegalArgumentException("fault end " + until + " is not after its start " + from);
    }
    return new FaultSchedule(List.of(new Entry(fault, from, until)));
  }

  /** All these faults at once, active from {@code from} on (none: no fault). */
  public static FaultSchedule allAt(List<Fault> faults, Instant from) {
    return allBetween(faults, from, Instant.MAX);
  }

  /** All these faults at once, active in [from, until) (none: no fault). */
  public static FaultSchedule allBetween(List<Fault> faults, Instant from, Instant until) {
    FaultSchedule all = none();
    for (Fault f : faults) {
      all = all.and(between(f, from, until));
    }
    return all;
  }

  /** This schedule and another one's faults. */
  public FaultSchedule and(FaultSchedule other) {
    List<Entry> all = new ArrayList<>(entries);
    all.addAll(other.entries);
    return new FaultSchedule(all);
  }

  /** Faults active at the given simulated time, given in epoch nanoseconds. */
  List<Fault> activeAt(long epochNanos) {
    if (entries.isEmpty()) {
      return List.of();
    }
    List<Fault> active = new ArrayList<>(1);
    for (Entry e : entries) {
      if (epochNanos >= nanos(e.from) && epochNanos < nanos(e.until)) {
        active.add(e.fault.rampedAt(Duration.ofNanos(epochNanos - nanos(e.from))));
      }
    }
    return active;
  }

  private static long nanos(Instant t) {
    if (t.equals(Instant.MAX)) {
      return Long.MAX_VALUE;
    }
    return EpochNanos.of(t);
  }
}

package dev.vigil.trainingdata.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A fault injected into one service.
 *
 * <ul>
 *   <li>{@code latency}: the service's own work (or, for a database, each query) takes {@link
 *       #DEFAULT_EXTRA_LATENCY_MILLIS} ms longer, with some jitter, as after a bad deploy, lock
 *       contention or a saturated disk;
 *   <li>{@code errors}: {@link #DEFAULT_ERROR_RATE} of the service's requests fail; callers see the
 *       failure and fail too, as an unhandled downstream error does;
 *   <li>{@code ramp}: a slow burn, as a leak or a filling queue: the service's own work takes
 *       longer and longer, from nothing at the fault's start to {@link #DEFAULT_RAMP_SELF_SHARE}
 *       times each operation's own median self time more after {@link #DEFAULT_RAMP_DURATION}
 *       (simulated), and stays there; or, with a size, that many milliseconds more. Relative by
 *       default so that it is a slow burn on a 2 ms database as on a 50 ms service: the ramp
 *       crosses a service's alert level minutes in, not in the first window. At any moment it acts
 *       as a {@code latency} fault of the size reached ({@link #rampedAt}).
 * </ul>
 *
 * @param kind the fault kind
 * @param service the service it is injected into
 * @param extraLatencyMillis added median self time for a latency fault
 * @param extraSelfShare added median self time for a latency fault, as a share of each operation's
 *     own median self time (added to {@code extraLatencyMillis})
 * @param errorRate share of failing requests for an errors fault
 */
public record Fault(
    Kind kind, String service, double extraLatencyMillis, double extraSelfShare, double errorRate) {
  public static final double DEFAULT_EXTRA_LATENCY_MILLIS = 200;
  public static final double DEFAULT_ERROR_RATE = 0.3;
  public static final double DEFAULT_RAMP_SELF_SHARE = 5;
  public static final java.time.Duration DEFAULT_RAMP_DURATION = java.time.Duration.ofMinutes(30);

  /** Fault kinds. */
  public enum Kind {
    LATENCY,
    ERRORS,
    RAMP;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static Fault latency(String service) {
    return new Fault(Kind.LATENCY, service, DEFAULT_EXTRA_LATENCY_MILLIS, 0, 0);
  }

  public static Fault errors(String service) {
    return new Fault(Kind.ERRORS, service, 0, 0, DEFAULT_ERROR_RATE);
  }

  /** A slow-burn ramp of the self time, up to {@link #DEFAULT_RAMP_SELF_SHARE} times its median. */
  public static Fault ramp(String service) {
    return new Fault(Kind.RAMP, service, 0, DEFAULT_RAMP_SELF_SHARE, 0);
  }

  /**
   * What a ramp does {@code elapsed} after its start: a latency fault of the share of its full size
   * that the ramp has reached. Other kinds are returned as they are.
   */
  public Fault rampedAt(java.time.Duration elapsed) {
    if (kind != Kind.RAMP) {
      return this;
    }
    double share =
        Math.max(0, Math.min(1, (double) elapsed.toNanos() / DEFAULT_RAMP_DURATION.toNanos()));
    return new Fault(Kind.LATENCY, service, extraLatencyMillis * share, extraSelfShare * share, 0);
  }

  /**
   * Parses {@code latency:<service>}, {@code errors:<service>} or {@code
   * ramp:<service>[:<millis>]}, where {@code millis} is the ramp's size after {@link
   * #DEFAULT_RAMP_DURATION} (default: {@link #DEFAULT_RAMP_SELF_SHARE} times each operation's own
   * median self time): a smaller size is a slower burn.
   *
   * @throws IllegalArgumentException saying what is wrong and what is valid
   */
  public static Fault parse(String spec, Topology topology) {
    int colon = spec.indexOf(':');
    String valid =
        "expected latency:<service>, errors:<service> or ramp:<service>[:<extra ms after 30"
            + " min>], with <service> one of "
            + topology.faultableServices();
    if (colon < 0) {
      throw new IllegalArgumentException("'" + spec + "' is not a fault; " + valid);
    }
    String kindName = spec.substring(0, colon).trim().toUpperCase(Locale.ROOT);
    String service = spec.substring(colon + 1).trim();
    String size = null;
    int second = service.indexOf(':');
    if (second >= 0) {
      size = service.substring(second + 1).trim();
      service = service.substring(0, second).trim();
    }
    Kind kind;
    try {
      kind = Kind.valueOf(kindName);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown fault kind '"
              + spec.substring(0, colon)
              + "' (kinds: "
              + Arrays.stream(Kind.values()).map(Kind::label).toList()
              + "); "
              + valid,
          e);
    }
    if (!topology.services().contains(service)) {
      throw new IllegalArgumentException("unknown service '" + service + "'; " + valid);
    }
    if (service.equals(topology.entry())) {
      throw new IllegalArgumentException(
          "'"
              + service
              + "' is the entry service, where a fault has no downstream cause to find; "
              + valid);
    }
    if (size != null) {
      double millis;
      try {
        millis = Double.parseDouble(size);
      } catch (NumberFormatException e) {
        millis = Double.NaN;
      }
      if (kind != Kind.RAMP || !(millis > 0) || Double.isInfinite(millis)) {
        throw new IllegalArgumentException(
            "'"
                + spec
                + "': only a ramp takes a size, a positive number of milliseconds (e.g."
                + " ramp:"
                + service
                + ":20); "
                + valid);
      }
      return new Fault(Kind.RAMP, service, millis, 0, 0);
    }
    return switch (kind) {
      case LATENCY -> latency(service);
      case ERRORS -> errors(service);
      case RAMP -> ramp(service);
    };
  }

  /**
   * Parses several faults to inject at once, e.g. {@code latency:catalog} and {@code
   * errors:payment}; one service takes at most one fault.
   *
   * @throws IllegalArgumentException saying what is wrong and what is valid
   */
  public static List<Fault> parseAll(List<String> specs, Topology topology) {
    List<Fault> out = new ArrayList<>();
    Set<String> services = new HashSet<>();
    for (String spec : specs) {
      Fault f = parse(spec, topology);
      if (!services.add(f.service())) {
        throw new IllegalArgumentException(
            "two faults in '" + f.service() + "'; give each fault its own service");
      }
      out.add(f);
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return kind.label() + ":" + service;
  }
}

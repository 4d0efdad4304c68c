package dev.vigil.rca.offline;

import java.util.Set;

/**
 * What one request did inside the service that handled it: the operations it ran in the service
 * (its local spans, by name), the operations of other services it called ({@code
 * service:operation}), whether one of its spans in the service failed, and the log statements it
 * reached (the templates of the lines logged under its spans in the service, joined by trace and
 * span id). The events of a request in the manner of Nezha's event patterns, without their order.
 *
 * @param service the service of the entry span
 * @param operation the operation of the entry span
 * @param startMillis when the request started
 * @param features local operation names, called {@code service:operation}s and {@link
 *     #ERROR_STATUS}
 * @param callees the operations of other services it called
 * @param logEvents the templates of its log lines ({@link LogSeries#eventName})
 * @param logCovered whether the recording has log lines around the request at all: when it has none
 *     (no logs collected, or not for that time), the request's missing log events are unknown, not
 *     absent
 */
record CallPattern(
    String service,
    String operation,
    long startMillis,
    Set<String> features,
    Set<OperationKey> callees,
    Set<String> logEvents,
    boolean logCovered) {

  /** The feature of a request one of whose spans in the service has an error status. */
  static final String ERROR_STATUS = "error status";

  /**
   * The feature of a call, seen from its caller's client span, that has no span of its callee below
   * it: refused before it reached the callee, or the callee is down.
   */
  static final String NOT_REACHED = "no server span (did not reach it)";

  CallPattern {
    features = Set.copyOf(features);
    callees = Set.copyOf(callees);
    logEvents = Set.copyOf(logEvents);
  }

  /** A request seen without logs. */
  CallPattern(
      String service,
      String operation,
      long startMillis,
      Set<String> features,
      Set<OperationKey> callees) {
    this(service, operation, startMillis, features, callees, Set.of(), false);
  }

  OperationKey key() {
    return new OperationKey(service, operation);
  }

  /** An operation of a service. */
  record OperationKey(String service, String operation) {}
}

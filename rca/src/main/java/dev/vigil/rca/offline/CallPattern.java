package dev.vigil.rca.offline;

import java.util.Set;

/**
 * What one request did inside the service that handled it: the operations it ran in the service
 * (its local spans, by name) and the operations of other services it called ({@code
 * service:operation}). The events of a request in the manner of Nezha's event patterns, without
 * their order.
 *
 * @param service the service of the entry span
 * @param operation the operation of the entry span
 * @param startMillis when the request started
 * @param features local operation names and called {@code service:operation}s
 * @param callees the operations of other services it called
 */
record CallPattern(
    String service,
    String operation,
    long startMillis,
    Set<String> features,
    Set<OperationKey> callees) {

  CallPattern {
    features = Set.copyOf(features);
    callees = Set.copyOf(callees);
  }

  OperationKey key() {
    return new OperationKey(service, operation);
  }

  /** An operation of a service. */
  record OperationKey(String service, String operation) {}
}

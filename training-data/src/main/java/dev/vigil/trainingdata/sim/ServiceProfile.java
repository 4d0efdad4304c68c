package dev.vigil.trainingdata.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A simulated service: its operations, or, for an uninstrumented database, the database system it
 * stands for.
 *
 * @param name the service name ({@code service.name}, or {@code peer.service} for a database)
 * @param dbSystem {@code db.system} of a database (e.g. {@code redis}), null for a service
 * @param operations operations by name
 */
public record ServiceProfile(
    String name, @Nullable String dbSystem, Map<String, Operation> operations) {
  public ServiceProfile {
    if (operations.isEmpty()) {
      throw new IllegalArgumentException("service " + name + " has no operations");
    }
    operations = Map.copyOf(operations);
  }

  public boolean isDatabase() {
    return dbSystem != null;
  }

  public Operation operation(String operation) {
    Operation op = operations.get(operation);
    if (op == null) {
      throw new IllegalArgumentException(
          "service "
              + name
              + " has no operation '"
              + operation
              + "'; it has "
              + operations.keySet());
    }
    return op;
  }

  static ServiceProfile service(String name, Operation... operations) {
    return new ServiceProfile(name, null, byName(List.of(operations)));
  }

  static ServiceProfile database(String name, String dbSystem, Operation... operations) {
    return new ServiceProfile(name, dbSystem, byName(List.of(operations)));
  }

  private static Map<String, Operation> byName(List<Operation> operations) {
    Map<String, Operation> m = new LinkedHashMap<>();
    for (Operation op : operations) {
      m.put(op.name(), op);
    }
    return m;
  }
}

package dev.vigil.trainingdata.sim;

import io.opentelemetry.context.Context;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request that a service served, as the simulator hands it to its metrics and logs.
 *
 * @param service the serving service
 * @param operation the operation served
 * @param entry whether the service is the HTTP entry (else a gRPC service)
 * @param startNanos start of the server span, epoch nanoseconds
 * @param endNanos end of the server span, epoch nanoseconds
 * @param selfNanos time spent in the service's own work, not waiting on calls
 * @param context the context holding the (sampled, ended) server span
 * @param failure why the request failed, or null if it did not
 */
record ServedRequest(
    String service,
    Operation operation,
    boolean entry,
    long startNanos,
    long endNanos,
    long selfNanos,
    Context context,
    @Nullable Failure failure) {

  ServedRequest {
    Objects.requireNonNull(context, "context");
  }

  long durationNanos() {
    return endNanos - startNanos;
  }

  boolean failed() {
    return failure != null;
  }

  /**
   * Why a request failed.
   *
   * @param exceptionType the exception the service saw ({@code exception.type})
   * @param message its message
   * @param origin whether the failure started in this service (its own work, or its database, which
   *     is not instrumented), rather than in a service it called
   */
  record Failure(String exceptionType, String message, boolean origin) {
    /** The service's own work failed. */
    static Failure injected(String service) {
      return new Failure("java.lang.IllegalStateException", "injected failure in " + service, true);
    }

    /** A query to the service's database failed; the error is the database driver's. */
    static Failure database(ServiceProfile database, String operation) {
      String driver =
          switch (Objects.requireNonNull(database.dbSystem()).toLowerCase(Locale.ROOT)) {
            case "redis" -> "io.lettuce.core.RedisCommandExecutionException";
            case "postgresql" -> "org.postgresql.util.PSQLException";
            default -> "java.sql.SQLException";
          };
      return new Failure(driver, operation + " on " + database.name() + ": injected failure", true);
    }

    /** A called service returned an error, which this service passes on. */
    static Failure callee(String callee) {
      return new Failure("io.grpc.StatusRuntimeException", "UNKNOWN: " + callee + " failed", false);
    }
  }
}

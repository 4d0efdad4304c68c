package dev.vigil.trainingdata.sim;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.context.Context;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The log records one service writes about the requests it serves, each in the context of the
 * request's server span (so with its trace and span ids) and stamped with simulated time:
 *
 * <ul>
 *   <li>ERROR for a request whose failure started here (its own work or its database's query), body
 *       = the exception message, with {@code exception.type} and {@code exception.message};
 *   <li>WARN for a request whose self time exceeds {@link #slowThresholdMillis}, and for a database
 *       query slower than the same threshold of the query's median;
 *   <li>INFO, an access log line, for a sample of requests.
 * </ul>
 */
final class RequestLogs {
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("app.operation");
  static final AttributeKey<Double> DURATION_MILLIS = AttributeKey.doubleKey("app.duration_ms");

  private final Logger logger;

  RequestLogs(Logger logger) {
    this.logger = logger;
  }

  /** A duration above this, for work whose median is {@code medianMillis}, is logged as slow. */
  static double slowThresholdMillis(double medianMillis) {
    return 50 + 4 * medianMillis;
  }

  /** Logs the failure, if it started here, and a WARN if the request's own work was slow. */
  void served(ServedRequest r) {
    ServedRequest.Failure failure = r.failure();
    String op = r.operation().name();
    if (failure != null && failure.origin()) {
      emit(
          r.context(),
          r.endNanos(),
          Severity.ERROR,
          failure.message(),
          Attributes.builder()
              .put(OPERATION, op)
              .put(EXCEPTION_TYPE, failure.exceptionType())
              .put(EXCEPTION_MESSAGE, failure.message()));
    }
    double selfMillis = r.selfNanos() / 1e6;
    double threshold = slowThresholdMillis(r.operation().selfMillis());
    if (selfMillis > threshold) {
      emit(
          r.context(),
          r.endNanos(),
          Severity.WARN,
          String.format(
              Locale.ROOT,
              "slow %s: %.0f ms of own work (threshold %.0f ms)",
              op,
              selfMillis,
              threshold),
          Attributes.builder().put(OPERATION, op).put(DURATION_MILLIS, selfMillis));
    }
  }

  /** An access log line for the request. */
  void access(ServedRequest r) {
    String op = r.operation().name();
    String status = r.entry() ? (r.failed() ? "500" : "200") : (r.failed() ? "UNKNOWN" : "OK");
    double millis = r.durationNanos() / 1e6;
    emit(
        r.context(),
        r.endNanos(),
        Severity.INFO,
        String.format(Locale.ROOT, "%s %s in %.1f ms", op, status, millis),
        Attributes.builder().put(OPERATION, op).put(DURATION_MILLIS, millis));
  }

  /** A WARN if a database query was slow. */
  void query(
      ServiceProfile database, Operation query, long startNanos, long endNanos, Context context) {
    double millis = (endNanos - startNanos) / 1e6;
    double threshold = slowThresholdMillis(query.selfMillis());
    if (millis > threshold) {
      emit(
          context,
          endNanos,
          Severity.WARN,
          String.format(
              Locale.ROOT,
              "slow query on %s: %s took %.0f ms (threshold %.0f ms)",
              database.name(),
              query.name(),
              millis,
              threshold),
          Attributes.builder()
              .put(MicroserviceSimulator.DB_SYSTEM, String.valueOf(database.dbSystem()))
              .put(MicroserviceSimulator.DB_OPERATION, query.name())
              .put(MicroserviceSimulator.PEER_SERVICE, database.name())
              .put(DURATION_MILLIS, millis));
    }
  }

  private void emit(
      Context context,
      long epochNanos,
      Severity severity,
      String body,
      AttributesBuilder attributes) {
    logger
        .logRecordBuilder()
        .setContext(context)
        .setTimestamp(epochNanos, TimeUnit.NANOSECONDS)
        .setObservedTimestamp(epochNanos, TimeUnit.NANOSECONDS)
        .setSeverity(severity)
        .setSeverityText(severity.name())
        .setBody(body)
        .setAllAttributes(attributes.build())
        .emit();
  }
}

package dev.vigil.rca.offline;

/**
 * Identifies a series.
 *
 * @param service the service it belongs to
 * @param kind what it measures
 * @param component the operation, the calling service (for {@link SeriesKind#CALL_GAP} and {@link
 *     SeriesKind#UNREACHED_CALLS}), or the metric name with its attributes
 * @param unit the unit of the values
 */
public record SeriesKey(String service, SeriesKind kind, String component, String unit) {

  /** The component of a service-wide series of an operation-level kind, e.g. its self time. */
  public static final String ALL_OPERATIONS = "all operations";

  /** A phrase naming the series for people, e.g. "CPU usage of ts-travel-service". */
  public String describe() {
    return switch (kind) {
      case RESOURCE, LATENCY_METRIC -> component + " of " + service;
      case CALL_GAP -> "network/queueing gap of calls from " + component + " to " + service;
      case UNREACHED_CALLS ->
          "share of calls from "
              + component
              + " to "
              + service
              + " that failed or ended without reaching it (no server span of "
              + service
              + ")";
      case LOG -> component + " in " + service;
      default -> kind.label() + " of " + component + " in " + service;
    };
  }

  /** {@link #describe} in Chinese. */
  public String describeZh() {
    return switch (kind) {
      case RESOURCE, LATENCY_METRIC -> service + " 的 " + component;
      case CALL_GAP -> "从 " + component + " 到 " + service + " 的调用的网络/排队间隔";
      case UNREACHED_CALLS ->
          "从 " + component + " 到 " + service + " 的调用中未到达它（没有 " + service + " 的服务端 span）的比例";
      case LOG -> service + " 中的" + component;
      default ->
          service
              + " 中 "
              + (ALL_OPERATIONS.equals(component) ? "所有操作" : component)
              + " 的"
              + kind.labelZh();
    };
  }

  /** The root-cause component this series points at, at a finer grain than the service. */
  public String pointsAt() {
    return switch (kind) {
      case RESOURCE, LATENCY_METRIC -> component + " of " + service;
      case CALL_GAP -> "network of " + service + " (calls from " + component + ")";
      case UNREACHED_CALLS -> service + " (calls from " + component + " did not reach it)";
      default -> component;
    };
  }
}

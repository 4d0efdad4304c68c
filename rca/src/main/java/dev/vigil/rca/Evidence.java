package dev.vigil.rca;

import java.util.List;

/**
 * One fact supporting a root-cause candidate, with a sentence for people and the numbers for
 * machines. Numeric fields are null where they do not apply.
 *
 * @param kind {@code metric_change}, {@code request_pattern}, {@code slow_operation}, {@code
 *     propagation}, {@code example_traces} or {@code inferred_service}
 * @param text a self-contained English sentence
 * @param textZh the same sentence in Chinese, with the same numbers
 * @param subject what it is about: a feature id, an operation name, or a service
 * @param unit the unit of {@code before} and {@code after}
 * @param before the baseline value
 * @param after the value during the incident
 * @param traceIds example traces
 */
public record Evidence(
    String kind,
    String text,
    String textZh,
    String subject,
    String unit,
    Double before,
    Double after,
    List<String> traceIds) {

  public static final String METRIC_CHANGE = "metric_change";
  public static final String SLOW_OPERATION = "slow_operation";

  /**
   * What an operation's requests do changed: an event (a log statement, a call, a local span, an
   * error status) that a share of its requests had before and not during the incident, or the
   * reverse; {@code before} and {@code after} are the shares.
   */
  public static final String REQUEST_PATTERN = "request_pattern";

  public static final String PROPAGATION = "propagation";
  public static final String EXAMPLE_TRACES = "example_traces";

  /**
   * The service has no spans of its own (an uninstrumented database, cache or other dependency): it
   * was seen only from its callers' client spans, which measured its latency and errors.
   */
  public static final String INFERRED_SERVICE = "inferred_service";

  /** Example traces of a service, by id. */
  public static Evidence exampleTraces(String service, List<String> traceIds) {
    return new Evidence(
        EXAMPLE_TRACES,
        "example traces: " + String.join(", ", traceIds),
        "示例追踪：" + String.join(", ", traceIds),
        service,
        null,
        null,
        null,
        traceIds);
  }

  public Evidence {
    traceIds = List.copyOf(traceIds);
  }

  /** The sentence in Chinese or in English. */
  public String text(boolean chinese) {
    return chinese ? textZh : text;
  }
}

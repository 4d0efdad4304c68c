package dev.vigil.service.streams;

import dev.vigil.features.FeatureConfig;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.telemetry.otlp.OtlpEncoding;

/**
 * Topic and store names and partition counts of the topology, from the configuration.
 *
 * @param tracePartitions partitions of the trace-keyed stream (the repartition topic, or the spans
 *     topic itself when the exporter already partitions by trace id)
 * @param spansPartitions partitions of the spans topic (the lanes of each trace partition)
 * @param encoding the fixed input encoding, or null to detect it per record
 */
public record StreamsLayout(
    String applicationId,
    String spans,
    String metrics,
    String logs,
    String deadLetters,
    String anomalies,
    String alerts,
    String incidents,
    boolean partitionedByTraceId,
    int tracePartitions,
    int spansPartitions,
    OtlpEncoding encoding,
    FeatureConfig features) {

  public static final String SPANS_BY_TRACE = "spans-by-trace";
  public static final String WINDOW_PARTIALS = "window-partials";
  public static final String SIGNALS = "signals";
  static final String TRACE_RECORDS_STORE = "trace-records";
  static final String ENGINE_STORE = "engine-state";
  static final String ENGINE_RECORDS_STORE = "engine-records";

  public StreamsLayout {
    if (tracePartitions < 1) {
      throw new IllegalArgumentException("tracePartitions must be at least 1");
    }
  }

  /**
   * @param spansTopicPartitions partitions of the spans topic, used when {@code kafka.partitions}
   *     is 0
   */
  public static StreamsLayout of(VigilConfig c, int spansTopicPartitions) {
    int configured = c.intValue("kafka.partitions");
    boolean byTrace = c.bool("kafka.partition-traces-by-id");
    String encoding = c.string("kafka.encoding");
    return new StreamsLayout(
        c.string("kafka.application-id"),
        c.string("kafka.topics.spans"),
        c.string("kafka.topics.metrics"),
        c.string("kafka.topics.logs"),
        c.string("kafka.topics.dead-letters"),
        c.string("kafka.topics.anomalies"),
        c.string("kafka.topics.alerts"),
        c.string("kafka.topics.incidents"),
        byTrace,
        byTrace || configured <= 0 ? spansTopicPartitions : configured,
        spansTopicPartitions,
        switch (encoding) {
          case "otlp_proto" -> OtlpEncoding.OTLP_PROTO;
          case "otlp_json" -> OtlpEncoding.OTLP_JSON;
          default -> null;
        },
        c.features());
  }

  /** The name of an internal topic: prefixed with the application id, as Kafka Streams does. */
  public String internal(String name) {
    return applicationId + "-" + name;
  }

  /** The topic the trace windows read: the repartition topic, or the spans topic itself. */
  String traceTopic() {
    return partitionedByTraceId ? spans : internal(SPANS_BY_TRACE);
  }
}

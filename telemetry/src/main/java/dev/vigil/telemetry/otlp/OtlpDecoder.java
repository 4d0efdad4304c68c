package dev.vigil.telemetry.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.TelemetryBatch;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.List;

/**
 * Decodes one OTLP message of a known signal into records. The encoding is detected per message
 * ({@link OtlpEncoding#detect}) unless given. Thread-safe and stateless.
 *
 * <p>Every item (span, metric data point, log record) is validated on its own: ids of the right
 * length and not all zero, timestamps present and plausible ({@link Timestamps}), a span that does
 * not end before it starts, finite measured values, histogram buckets that fit their bounds. {@link
 * #decodePartial} keeps the valid items and counts the others by reason, as an OTLP server's
 * partial success does (OTLP/HTTP and Kafka ingest both use it: a Kafka message with invalid items
 * passes its valid ones on and is dead-lettered for the others); {@link #decode} is all-or-nothing
 * and throws for the first invalid item. Attribute lists are capped (see {@code Attributes}). A
 * missing {@code service.name} becomes {@code unknown_service}.
 *
 * <p>Protobuf traces, the bulk of the traffic, are decoded by default by a streaming decoder that
 * reads the wire format field by field without building the message tree ({@link
 * TraceProtobufDecoding#STREAMING}); it gives exactly the records and rejections of {@code
 * parseFrom} followed by a walk of the tree ({@link TraceProtobufDecoding#PARSE_FROM}), which stays
 * available as the reference. Metrics, logs and JSON are parsed into messages first.
 */
public final class OtlpDecoder {
  private OtlpDecoder() {}

  /**
   * How protobuf traces are decoded. Both give the same records and the same rejections (a property
   * test checks it on SDK output, the OTLP examples, hostile and mutated input).
   */
  public enum TraceProtobufDecoding {
    /** Field by field with {@code CodedInputStream}, without building messages: the default. */
    STREAMING,
    /** {@code TracesData.parseFrom}, then a walk of the message tree: the reference. */
    PARSE_FROM
  }

  /** Decodes a message, detecting whether it is protobuf or JSON. All-or-nothing. */
  public static TelemetryBatch decode(Signal signal, byte[] payload) throws OtlpDecodeException {
    return decode(signal, payload, OtlpEncoding.detect(payload));
  }

  /**
   * Decodes a message in the given encoding. All-or-nothing.
   *
   * @throws OtlpDecodeException if the message cannot be parsed or any of its items is invalid
   */
  public static TelemetryBatch decode(Signal signal, byte[] payload, OtlpEncoding encoding)
      throws OtlpDecodeException {
    return decode(signal, payload, encoding, TraceProtobufDecoding.STREAMING);
  }

  /**
   * Decodes a message in the given encoding with the given protobuf trace decoder (for benchmarks
   * and tests; the result does not depend on it). All-or-nothing.
   *
   * @throws OtlpDecodeException if the message cannot be parsed or any of its items is invalid
   */
  public static TelemetryBatch decode(
      Signal signal, byte[] payload, OtlpEncoding encoding, TraceProtobufDecoding traces)
      throws OtlpDecodeException {
    if (payload.length == 0) {
      throw new OtlpDecodeException(OtlpDecodeException.EMPTY_MESSAGE, "the message is empty");
    }
    RejectionsAccumulator rejections = new RejectionsAccumulator(Timestamps.MAX_EPOCH_NANOS);
    TelemetryBatch batch = map(signal, payload, encoding, traces, true, rejections);
    if (!rejections.isEmpty()) {
      throw rejections.first();
    }
    return batch;
  }

  /**
   * Decodes a message in the given encoding, keeping the valid items and counting the invalid ones
   * by reason. An empty protobuf payload is a valid, empty message.
   *
   * @throws OtlpDecodeException if the message as a whole cannot be parsed
   */
  public static DecodeResult decodePartial(Signal signal, byte[] payload, OtlpEncoding encoding)
      throws OtlpDecodeException {
    return decodePartial(signal, payload, encoding, Timestamps.MAX_EPOCH_NANOS);
  }

  /**
   * Like {@link #decodePartial(Signal, byte[], OtlpEncoding)}, also rejecting items with a
   * timestamp after {@code notAfterEpochNanos} (a receiver passes its clock's now plus the clock
   * skew it tolerates: one far-future span would otherwise drag event time, and every window,
   * ahead).
   */
  public static DecodeResult decodePartial(
      Signal signal, byte[] payload, OtlpEncoding encoding, long notAfterEpochNanos)
      throws OtlpDecodeException {
    return decodePartial(
        signal, payload, encoding, notAfterEpochNanos, TraceProtobufDecoding.STREAMING);
  }

  /**
   * Like {@link #decodePartial(Signal, byte[], OtlpEncoding, long)}, with the given protobuf trace
   * decoder (for benchmarks and tests; the result does not depend on it).
   */
  public static DecodeResult decodePartial(
      Signal signal,
      byte[] payload,
      OtlpEncoding encoding,
      long notAfterEpochNanos,
      TraceProtobufDecoding traces)
      throws OtlpDecodeException {
    RejectionsAccumulator rejections = new RejectionsAccumulator(notAfterEpochNanos);
    TelemetryBatch batch = map(signal, payload, encoding, traces, false, rejections);
    if (rejections.isEmpty()) {
      return DecodeResult.complete(batch);
    }
    return new DecodeResult(batch, rejections.byReason(), rejections.first().getMessage());
  }

  private static TelemetryBatch map(
      Signal signal,
      byte[] payload,
      OtlpEncoding encoding,
      TraceProtobufDecoding traces,
      boolean strictIds,
      RejectionsAccumulator rejections)
      throws OtlpDecodeException {
    return switch (signal) {
      case TRACES -> {
        if (encoding == OtlpEncoding.OTLP_PROTO && traces == TraceProtobufDecoding.STREAMING) {
          List<SpanRecord> spans = StreamingTraceDecoder.spans(payload, rejections);
          if (spans != null) {
            yield TelemetryBatch.ofSpans(spans);
          }
          // Merged sub-messages, groups, deep nesting or malformed input: parseFrom decides.
        }
        yield TelemetryBatch.ofSpans(
            ProtoMapper.spans(traces(payload, encoding, strictIds), rejections));
      }
      case METRICS ->
          new TelemetryBatch(
              List.of(),
              MetricMapper.points(metrics(payload, encoding, strictIds), rejections),
              List.of());
      case LOGS ->
          new TelemetryBatch(
              List.of(),
              List.of(),
              ProtoMapper.logs(logs(payload, encoding, strictIds), rejections));
    };
  }

  static TracesData traces(byte[] payload, OtlpEncoding encoding, boolean strictIds)
      throws OtlpDecodeException {
    if (encoding == OtlpEncoding.OTLP_JSON) {
      TracesData.Builder b = TracesData.newBuilder();
      OtlpJson.merge(payload, b, strictIds);
      return b.build();
    }
    try {
      return TracesData.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw malformed(e);
    }
  }

  static MetricsData metrics(byte[] payload, OtlpEncoding encoding, boolean strictIds)
      throws OtlpDecodeException {
    if (encoding == OtlpEncoding.OTLP_JSON) {
      MetricsData.Builder b = MetricsData.newBuilder();
      OtlpJson.merge(payload, b, strictIds);
      return b.build();
    }
    try {
      return MetricsData.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw malformed(e);
    }
  }

  static LogsData logs(byte[] payload, OtlpEncoding encoding, boolean strictIds)
      throws OtlpDecodeException {
    if (encoding == OtlpEncoding.OTLP_JSON) {
      LogsData.Builder b = LogsData.newBuilder();
      OtlpJson.merge(payload, b, strictIds);
      return b.build();
    }
    try {
      return LogsData.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw malformed(e);
    }
  }

  private static OtlpDecodeException malformed(InvalidProtocolBufferException e) {
    return new OtlpDecodeException(
        OtlpDecodeException.MALFORMED_PROTOBUF,
        "not a valid OTLP protobuf message: " + e.getMessage(),
        e);
  }
}

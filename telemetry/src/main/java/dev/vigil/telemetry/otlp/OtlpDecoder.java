package dev.vigil.telemetry.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vigil.telemetry.Signal;
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
 * partial success does; {@link #decode} is all-or-nothing and throws for the first invalid item, so
 * a Kafka message is either ingested whole or dead-lettered whole with its original bytes.
 * Attribute lists are capped (see {@code Attributes}). A missing {@code service.name} becomes
 * {@code unknown_service}.
 */
public final class OtlpDecoder {
  private OtlpDecoder() {}

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
    if (payload.length == 0) {
      throw new OtlpDecodeException(OtlpDecodeException.EMPTY_MESSAGE, "the message is empty");
    }
    RejectionsAccumulator rejections = new RejectionsAccumulator(Timestamps.MAX_EPOCH_NANOS);
    TelemetryBatch batch = map(signal, payload, encoding, true, rejections);
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
    RejectionsAccumulator rejections = new RejectionsAccumulator(notAfterEpochNanos);
    TelemetryBatch batch = map(signal, payload, encoding, false, rejections);
    if (rejections.isEmpty()) {
      return DecodeResult.complete(batch);
    }
    return new DecodeResult(batch, rejections.byReason(), rejections.first().getMessage());
  }

  private static TelemetryBatch map(
      Signal signal,
      byte[] payload,
      OtlpEncoding encoding,
      boolean strictIds,
      RejectionsAccumulator rejections)
      throws OtlpDecodeException {
    return switch (signal) {
      case TRACES ->
          TelemetryBatch.ofSpans(
              ProtoMapper.spans(traces(payload, encoding, strictIds), rejections));
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

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
 */
public final class OtlpDecoder {
  private OtlpDecoder() {}

  /** Decodes a message, detecting whether it is protobuf or JSON. */
  public static TelemetryBatch decode(Signal signal, byte[] payload) throws OtlpDecodeException {
    return decode(signal, payload, OtlpEncoding.detect(payload));
  }

  /** Decodes a message in the given encoding. */
  public static TelemetryBatch decode(Signal signal, byte[] payload, OtlpEncoding encoding)
      throws OtlpDecodeException {
    if (payload.length == 0) {
      throw new OtlpDecodeException(OtlpDecodeException.EMPTY_MESSAGE, "the message is empty");
    }
    return switch (signal) {
      case TRACES -> TelemetryBatch.ofSpans(ProtoMapper.spans(traces(payload, encoding)));
      case METRICS ->
          new TelemetryBatch(List.of(), MetricMapper.points(metrics(payload, encoding)), List.of());
      case LOGS ->
          new TelemetryBatch(List.of(), List.of(), ProtoMapper.logs(logs(payload, encoding)));
    };
  }

  static TracesData traces(byte[] payload, OtlpEncoding encoding) throws OtlpDecodeException {
    if (encoding == OtlpEncoding.OTLP_JSON) {
      TracesData.Builder b = TracesData.newBuilder();
      OtlpJson.merge(payload, b);
      return b.build();
    }
    try {
      return TracesData.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw malformed(e);
    }
  }

  static MetricsData metrics(byte[] payload, OtlpEncoding encoding) throws OtlpDecodeException {
    if (encoding == OtlpEncoding.OTLP_JSON) {
      MetricsData.Builder b = MetricsData.newBuilder();
      OtlpJson.merge(payload, b);
      return b.build();
    }
    try {
      return MetricsData.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw malformed(e);
    }
  }

  static LogsData logs(byte[] payload, OtlpEncoding encoding) throws OtlpDecodeException {
    if (encoding == OtlpEncoding.OTLP_JSON) {
      LogsData.Builder b = LogsData.newBuilder();
      OtlpJson.merge(payload, b);
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

package dev.vigil.ingest.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.otlp.DecodeResult;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The body of a 200 response: the signal's {@code Export*ServiceResponse}, with {@code
 * partial_success} set only when items were rejected (the OTLP specification requires it unset on
 * full success), in the request's encoding.
 */
final class ExportResponses {
  private static final JsonFormat.Printer JSON =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private ExportResponses() {}

  static byte[] of(Signal signal, DecodeResult result, OtlpEncoding encoding) {
    long rejected = result.rejected();
    String message = rejected == 0 ? "" : errorMessage(signal, result);
    Message response =
        switch (signal) {
          case TRACES -> {
            ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
            if (rejected > 0) {
              b.setPartialSuccess(
                  ExportTracePartialSuccess.newBuilder()
                      .setRejectedSpans(rejected)
                      .setErrorMessage(message));
            }
            yield b.build();
          }
          case METRICS -> {
            ExportMetricsServiceResponse.Builder b = ExportMetricsServiceResponse.newBuilder();
            if (rejected > 0) {
              b.setPartialSuccess(
                  ExportMetricsPartialSuccess.newBuilder()
                      .setRejectedDataPoints(rejected)
                      .setErrorMessage(message));
            }
            yield b.build();
          }
          case LOGS -> {
            ExportLogsServiceResponse.Builder b = ExportLogsServiceResponse.newBuilder();
            if (rejected > 0) {
              b.setPartialSuccess(
                  ExportLogsPartialSuccess.newBuilder()
                      .setRejectedLogRecords(rejected)
                      .setErrorMessage(message));
            }
            yield b.build();
          }
        };
    if (encoding == OtlpEncoding.OTLP_PROTO) {
      return response.toByteArray();
    }
    try {
      return JSON.print(response).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot render " + response.getClass().getSimpleName(), e);
    }
  }

  /** For example "rejected 2 spans (invalid_trace_id: 1, end_before_start: 1); first: ...". */
  static String errorMessage(Signal signal, DecodeResult result) {
    String noun =
        switch (signal) {
          case TRACES -> "spans";
          case METRICS -> "data points";
          case LOGS -> "log records";
        };
    String counts =
        result.rejectedByReason().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + ": " + e.getValue())
            .collect(Collectors.joining(", "));
    return "rejected "
        + result.rejected()
        + " "
        + noun
        + " ("
        + counts
        + "); first: "
        + result.message();
  }
}

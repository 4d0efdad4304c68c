package dev.vigil.telemetry.otlp;

import dev.vigil.telemetry.LogEntry;
import dev.vigil.telemetry.Resource;
import dev.vigil.telemetry.SpanKind;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.StatusCode;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps OTLP trace and log protobuf messages to Vigil records, one item at a time: an item that
 * fails validation is counted in the {@link RejectionsAccumulator} and left out, the others are
 * kept. Metrics: {@link MetricMapper}.
 */
final class ProtoMapper {
  private ProtoMapper() {}

  static List<SpanRecord> spans(TracesData data, RejectionsAccumulator rejections) {
    List<SpanRecord> out = new ArrayList<>();
    for (ResourceSpans rs : data.getResourceSpansList()) {
      Resource resource = Resource.of(Attributes.toMap(rs.getResource().getAttributesList()));
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          try {
            out.add(span(resource, s, rejections.notAfterEpochNanos()));
          } catch (OtlpDecodeException e) {
            rejections.reject(e);
          }
        }
      }
    }
    return out;
  }

  private static SpanRecord span(Resource resource, Span s, long notAfter)
      throws OtlpDecodeException {
    String traceId = Ids.traceId(s.getTraceId());
    String spanId = Ids.spanId(s.getSpanId());
    String parentSpanId = Ids.optionalSpanId(s.getParentSpanId());
    long start = Timestamps.required("span start time", s.getStartTimeUnixNano(), notAfter);
    long end = Timestamps.required("span end time", s.getEndTimeUnixNano(), notAfter);
    Timestamps.ordered("span", start, end);
    return new SpanRecord(
        traceId,
        spanId,
        parentSpanId,
        resource,
        s.getName(),
        SpanKind.fromOtlp(s.getKindValue()),
        start,
        end,
        StatusCode.fromOtlp(s.getStatus().getCodeValue()),
        Attributes.toMap(s.getAttributesList()));
  }

  static List<LogEntry> logs(LogsData data, RejectionsAccumulator rejections) {
    List<LogEntry> out = new ArrayList<>();
    for (ResourceLogs rl : data.getResourceLogsList()) {
      Resource resource = Resource.of(Attributes.toMap(rl.getResource().getAttributesList()));
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord r : sl.getLogRecordsList()) {
          try {
            out.add(log(resource, r, rejections.notAfterEpochNanos()));
          } catch (OtlpDecodeException e) {
            rejections.reject(e);
          }
        }
      }
    }
    return out;
  }

  private static LogEntry log(Resource resource, LogRecord r, long notAfter)
      throws OtlpDecodeException {
    String traceId = Ids.optionalTraceId(r.getTraceId());
    String spanId = Ids.optionalSpanId(r.getSpanId());
    long time = Timestamps.optional("log time", r.getTimeUnixNano(), notAfter);
    long observed = Timestamps.optional("log observed time", r.getObservedTimeUnixNano(), notAfter);
    if (time == 0 && observed == 0) {
      throw new OtlpDecodeException(
          OtlpDecodeException.TIMESTAMP_OUT_OF_RANGE,
          "a log record needs a time or an observed time");
    }
    return new LogEntry(
        resource,
        time != 0 ? time : observed,
        r.getSeverityNumberValue(),
        r.getSeverityText(),
        Attributes.text(r.getBody()),
        r.getEventName(),
        traceId,
        spanId,
        Attributes.toMap(r.getAttributesList()));
  }
}

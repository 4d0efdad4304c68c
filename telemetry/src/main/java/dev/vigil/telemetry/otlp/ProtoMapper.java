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

/** Maps OTLP trace and log protobuf messages to Vigil records. Metrics: {@link MetricMapper}. */
final class ProtoMapper {
  private ProtoMapper() {}

  static List<SpanRecord> spans(TracesData data) throws OtlpDecodeException {
    List<SpanRecord> out = new ArrayList<>();
    for (ResourceSpans rs : data.getResourceSpansList()) {
      Resource resource = Resource.of(Attributes.toMap(rs.getResource().getAttributesList()));
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          out.add(
              new SpanRecord(
                  Ids.traceId(s.getTraceId()),
                  Ids.spanId(s.getSpanId()),
                  Ids.optionalSpanId(s.getParentSpanId()),
                  resource,
                  s.getName(),
                  SpanKind.fromOtlp(s.getKindValue()),
                  s.getStartTimeUnixNano(),
                  s.getEndTimeUnixNano(),
                  StatusCode.fromOtlp(s.getStatus().getCodeValue()),
                  Attributes.toMap(s.getAttributesList())));
        }
      }
    }
    return out;
  }

  static List<LogEntry> logs(LogsData data) throws OtlpDecodeException {
    List<LogEntry> out = new ArrayList<>();
    for (ResourceLogs rl : data.getResourceLogsList()) {
      Resource resource = Resource.of(Attributes.toMap(rl.getResource().getAttributesList()));
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord r : sl.getLogRecordsList()) {
          long time = r.getTimeUnixNano() != 0 ? r.getTimeUnixNano() : r.getObservedTimeUnixNano();
          out.add(
              new LogEntry(
                  resource,
                  time,
                  r.getSeverityNumberValue(),
                  r.getSeverityText(),
                  Attributes.text(r.getBody()),
                  r.getEventName(),
                  Ids.optionalTraceId(r.getTraceId()),
                  Ids.optionalSpanId(r.getSpanId()),
                  Attributes.toMap(r.getAttributesList())));
        }
      }
    }
    return out;
  }
}

package dev.vigil.trainingdata.nezha;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.vigil.features.SeverityClass;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Converts one Nezha fault into OTLP requests built with the official protobuf classes.
 *
 * <ul>
 *   <li>Spans: every row of the fault's three trace files (the inject minute and the two after)
 *       becomes a span, with {@code service.name} = the pod's service and {@code k8s.pod.name} =
 *       the pod; rows repeated across files are kept once. On request, the day's earlier trace
 *       files (up to {@link #DEFAULT_TRACE_HISTORY} before the injection) are added as history:
 *       they are the recordings around earlier faults, at their true times, never a later one. The
 *       fault-free traces of the day ({@code construct_data}) are added whole when they were
 *       recorded before the injection: they are normal data at their true times (nothing is
 *       shifted), however long before. The data has no span kinds or status codes, so none are set.
 *   <li>Metrics: every column of every pod's metric file becomes a gauge named after the column
 *       without its unit, for the rows from {@link #DEFAULT_METRIC_HISTORY} before the injection to
 *       {@link #DEFAULT_AFTER} after it. The unit in the column header becomes the metric unit.
 *   <li>Logs: every row of the fault's three log files becomes a LogRecord (see {@link #readLogs});
 *       the fault-free log minute of the day ({@code construct_data}) is added when it ended before
 *       the injection, and the day's earlier log files with the trace history.
 * </ul>
 */
public final class NezhaOtlpConverter {
  public static final Duration DEFAULT_METRIC_HISTORY = Duration.ofMinutes(30);
  public static final Duration DEFAULT_AFTER = Duration.ofMinutes(5);
  public static final Duration DEFAULT_TRACE_HISTORY = Duration.ofHours(3);
  static final int TRACE_FILES = 3;
  private static final DateTimeFormatter MINUTE_FILE =
      DateTimeFormatter.ofPattern("HH_mm").withZone(ZoneOffset.UTC);
  private static final InstrumentationScope SCOPE =
      InstrumentationScope.newBuilder().setName("dev.vigil.trainingdata.nezha").build();

  private static final ObjectMapper JSON = new ObjectMapper();

  private final NezhaDataset dataset;
  private final boolean traceHistory;

  /** Without the trace history: the fault's files and the fault-free baseline only. */
  public NezhaOtlpConverter(NezhaDataset dataset) {
    this(dataset, false);
  }

  /**
   * @param traceHistory whether to add the day's earlier trace files (see the class comment)
   */
  public NezhaOtlpConverter(NezhaDataset dataset, boolean traceHistory) {
    this.dataset = dataset;
    this.traceHistory = traceHistory;
  }

  public NezhaRecording convert(NezhaCase c) throws IOException {
    long from = c.injectTime().minus(DEFAULT_METRIC_HISTORY).toEpochMilli() * 1_000_000L;
    long to = c.injectTime().plus(DEFAULT_AFTER).toEpochMilli() * 1_000_000L;
    int[] skipped = {0};
    Map<String, ResourceSpans.Builder> spans = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    int spanCount = 0;
    for (Path f : faultTraceFiles(c)) {
      spanCount += readSpans(f, from, to, seen, spans, skipped);
    }
    for (Path f : baselineTraceFiles(c)) {
      spanCount += readSpans(f, Long.MIN_VALUE, to, seen, spans, skipped);
    }
    long historyFrom = c.injectTime().minus(DEFAULT_TRACE_HISTORY).toEpochMilli() * 1_000_000L;
    for (Path f : traceHistory ? historyTraceFiles(c) : List.<Path>of()) {
      spanCount += readSpans(f, historyFrom, to, seen, spans, skipped);
    }
    ExportTraceServiceRequest.Builder traces = ExportTraceServiceRequest.newBuilder();
    spans.values().forEach(traces::addResourceSpans);
    ExportMetricsServiceRequest.Builder metrics = ExportMetricsServiceRequest.newBuilder();
    int points = 0;
    try (Stream<Path> files = Files.list(dataset.metricDir(c.day()))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
        ResourceMetrics.Builder rm = ResourceMetrics.newBuilder();
        points += readMetrics(f, from, to, rm, skipped);
        if (rm.getScopeMetricsCount() > 0) {
          metrics.addResourceMetrics(rm);
        }
      }
    }
    Map<String, ResourceLogs.Builder> logs = new LinkedHashMap<>();
    Set<String> seenLogs = new HashSet<>();
    int logCount = 0;
    for (Path f : minuteFiles(dataset.logDir(c.day()), c, "_log.csv.gz")) {
      logCount += readLogs(f, from, to, seenLogs, logs, skipped);
    }
    for (Path f : baselineLogFiles(c)) {
      logCount += readLogs(f, Long.MIN_VALUE, to, seenLogs, logs, skipped);
    }
    for (Path f :
        traceHistory ? historyFiles(dataset.logDir(c.day()), c, "_log.csv.gz") : List.<Path>of()) {
      logCount += readLogs(f, historyFrom, to, seenLogs, logs, skipped);
    }
    ExportLogsServiceRequest.Builder logRequest = ExportLogsServiceRequest.newBuilder();
    logs.values().forEach(logRequest::addResourceLogs);
    return new NezhaRecording(
        c,
        traces.build(),
        metrics.build(),
        logRequest.build(),
        spanCount,
        points,
        logCount,
        skipped[0]);
  }

  /** The fault's files of a kind: the inject minute and the two after, where present. */
  private static List<Path> minuteFiles(Path dir, NezhaCase c, String suffix) {
    List<Path> out = new ArrayList<>();
    for (int k = 0; k < TRACE_FILES; k++) {
      Path f = dir.resolve(MINUTE_FILE.format(c.injectTime().plus(Duration.ofMinutes(k))) + suffix);
      if (Files.exists(f)) {
        out.add(f);
      }
    }
    return out;
  }

  /** The day's files of a kind that begin before the fault's first one (see the traces'). */
  private static List<Path> historyFiles(Path dir, NezhaCase c, String suffix) throws IOException {
    String first = MINUTE_FILE.format(c.injectTime()) + suffix;
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(suffix))
          .filter(p -> p.getFileName().toString().compareTo(first) < 0)
          .sorted()
          .toList();
    }
  }

  /** The day's fault-free log minutes that end before the injection (as the baseline traces). */
  private List<Path> baselineLogFiles(NezhaCase c) throws IOException {
    Path dir = dataset.baselineLogDir(c.day());
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    String inject = MINUTE_FILE.format(c.injectTime().minus(Duration.ofMinutes(1)));
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith("_log.csv.gz"))
          .filter(p -> p.getFileName().toString().substring(0, 5).compareTo(inject) <= 0)
          .sorted()
          .toList();
    }
  }

  /**
   * Timestamp,TimeUnixNano,Node,PodName,Container,TraceID,SpanID,Log (gzip): each row becomes an
   * OTLP LogRecord as a Collector's filelog receiver would deliver it: body = the container's line
   * (the {@code log} field of the runtime's JSON), severity from the line's level token, trace and
   * span ids from their columns, {@code service.name} from the pod. A corrupt (negative) {@code
   * TimeUnixNano} is replaced by the {@code Timestamp} string.
   */
  private static int readLogs(
      Path f,
      long from,
      long to,
      Set<String> seen,
      Map<String, ResourceLogs.Builder> byPod,
      int[] skipped)
      throws IOException {
    HexFormat hex = HexFormat.of();
    int n = 0;
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
      r.readLine();
      String row;
      while ((row = r.readLine()) != null) {
        try {
          List<String> p = csvRow(row);
          if (p.size() != 8) {
            throw new IllegalArgumentException("bad row");
          }
          long t = logTime(p.get(0), p.get(1));
          String line = logLine(p.get(7));
          if (t < from || t >= to || !seen.add(p.get(1) + p.get(3) + line)) {
            continue;
          }
          SeverityClass level = SeverityClass.inferFromLine(line);
          LogRecord.Builder b =
              LogRecord.newBuilder()
                  .setTimeUnixNano(t)
                  .setObservedTimeUnixNano(t)
                  .setBody(AnyValue.newBuilder().setStringValue(line));
          if (level != SeverityClass.UNSPECIFIED) {
            b.setSeverityNumberValue(level.severityNumber()).setSeverityText(level.name());
          }
          if (p.get(5).length() == 32) {
            b.setTraceId(ByteString.copyFrom(hex.parseHex(p.get(5))));
          }
          if (p.get(6).length() == 16) {
            b.setSpanId(ByteString.copyFrom(hex.parseHex(p.get(6))));
          }
          byPod
              .computeIfAbsent(p.get(3), NezhaOtlpConverter::resourceLogs)
              .getScopeLogsBuilder(0)
              .addLogRecords(b);
          n++;
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
          skipped[0]++;
        }
      }
    }
    return n;
  }

  private static long logTime(String timestamp, String nanos) {
    try {
      long t = Long.parseLong(nanos.trim());
      if (t > 0) {
        return t;
      }
    } catch (NumberFormatException e) {
      // use the timestamp string
    }
    String ts = timestamp.trim();
    Instant i = Instant.parse(ts.endsWith("Z") ? ts : ts + "Z");
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  /** The line in the container runtime's JSON ({@code {"log": "...\n", ...}}), or the cell. */
  static String logLine(String cell) {
    if (!cell.startsWith("{")) {
      return cell.strip();
    }
    try {
      JsonNode n = JSON.readTree(cell);
      JsonNode log = n.get("log");
      return log == null ? cell.strip() : log.asText().strip();
    } catch (IOException e) {
      return cell.strip();
    }
  }

  /** One RFC 4180 row: fields separated by commas, quoted fields with doubled quotes inside. */
  static List<String> csvRow(String row) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < row.length(); i++) {
      char ch = row.charAt(i);
      if (quoted) {
        if (ch == '"') {
          if (i + 1 < row.length() && row.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    out.add(cur.toString());
    return out;
  }

  private static ResourceLogs.Builder resourceLogs(String pod) {
    ResourceLogs.Builder b = ResourceLogs.newBuilder().setResource(resource(pod));
    b.addScopeLogs(ScopeLogs.newBuilder().setScope(SCOPE));
    return b;
  }

  private List<Path> faultTraceFiles(NezhaCase c) {
    List<Path> out = new ArrayList<>();
    for (int k = 0; k < TRACE_FILES; k++) {
      Path f =
          dataset
              .traceDir(c.day())
              .resolve(
                  MINUTE_FILE.format(c.injectTime().plus(Duration.ofMinutes(k))) + "_trace.csv");
      if (Files.exists(f)) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * The day's other recorded trace files that begin before the fault's first one: what the system
   * did before, as a monitored system's trace store would have it (these minutes hold earlier
   * faults of other or the same services; nothing marks them as normal or not).
   */
  private List<Path> historyTraceFiles(NezhaCase c) throws IOException {
    String first = MINUTE_FILE.format(c.injectTime()) + "_trace.csv";
    try (Stream<Path> files = Files.list(dataset.traceDir(c.day()))) {
      return files
          .filter(p -> p.getFileName().toString().endsWith("_trace.csv"))
          .filter(p -> p.getFileName().toString().compareTo(first) < 0)
          .sorted()
          .toList();
    }
  }

  /** The day's fault-free trace files that end before the injection. */
  private List<Path> baselineTraceFiles(NezhaCase c) throws IOException {
    List<Path> out = new ArrayList<>();
    Path baseline = dataset.baselineTraceDir(c.day());
    if (Files.isDirectory(baseline)) {
      try (Stream<Path> files = Files.list(baseline)) {
        for (Path f : files.filter(p -> p.toString().endsWith("_trace.csv")).sorted().toList()) {
          if (latestEnd(f) < c.injectTime().toEpochMilli() * 1_000_000L) {
            out.add(f);
          }
        }
      }
    }
    return out;
  }

  private static long latestEnd(Path f) throws IOException {
    long max = Long.MIN_VALUE;
    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      r.readLine();
      String line;
      while ((line = r.readLine()) != null) {
        String[] p = line.split(",", -1);
        if (p.length >= 7) {
          try {
            max = Math.max(max, Long.parseLong(p[6].trim()));
          } catch (NumberFormatException e) {
            // counted when the file is converted
          }
        }
      }
    }
    return max;
  }

  /** TraceID,SpanID,ParentID,PodName,OperationName,StartTimeUnixNano,EndTimeUnixNano,Duration. */
  private static int readSpans(
      Path f,
      long from,
      long to,
      Set<String> seen,
      Map<String, ResourceSpans.Builder> byPod,
      int[] skipped)
      throws IOException {
    HexFormat hex = HexFormat.of();
    int n = 0;
    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      r.readLine();
      String line;
      while ((line = r.readLine()) != null) {
        String[] p = line.split(",", -1);
        try {
          if (p.length != 8 || p[0].length() != 32 || p[1].length() != 16) {
            throw new IllegalArgumentException("bad row");
          }
          long start = Long.parseLong(p[5].trim());
          long end = Long.parseLong(p[6].trim());
          if (start < from || start >= to || !seen.add(p[0] + p[1])) {
            continue;
          }
          Span.Builder s =
              Span.newBuilder()
                  .setTraceId(ByteString.copyFrom(hex.parseHex(p[0])))
                  .setSpanId(ByteString.copyFrom(hex.parseHex(p[1])))
                  .setName(p[4])
                  .setStartTimeUnixNano(start)
                  .setEndTimeUnixNano(end);
          if (p[2].length() == 16) {
            s.setParentSpanId(ByteString.copyFrom(hex.parseHex(p[2])));
          }
          byPod
              .computeIfAbsent(p[3], NezhaOtlpConverter::resourceSpans)
              .getScopeSpansBuilder(0)
              .addSpans(s);
          n++;
        } catch (IllegalArgumentException e) {
          skipped[0]++;
        }
      }
    }
    return n;
  }

  private static ResourceSpans.Builder resourceSpans(String pod) {
    ResourceSpans.Builder b = ResourceSpans.newBuilder().setResource(resource(pod));
    b.addScopeSpans(ScopeSpans.newBuilder().setScope(SCOPE));
    return b;
  }

  /**
   * Time,TimeStamp,PodName (or ServiceName),column... with one row per minute; every column after
   * the third is a gauge.
   */
  private static int readMetrics(
      Path f, long from, long to, ResourceMetrics.Builder rm, int[] skipped) throws IOException {
    List<String[]> rows = new ArrayList<>();
    String[] header;
    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      String h = r.readLine();
      if (h == null) {
        return 0;
      }
      header = h.split(",", -1);
      String line;
      while ((line = r.readLine()) != null) {
        rows.add(line.split(",", -1));
      }
    }
    if (header.length < 4 || rows.isEmpty()) {
      return 0;
    }
    String pod = rows.get(0)[2];
    String podColumn = header[2];
    rm.setResource(
        podColumn.equals("PodName")
            ? resource(pod)
            : Resource.newBuilder().addAttributes(attribute("service.name", pod)).build());
    ScopeMetrics.Builder sm = ScopeMetrics.newBuilder().setScope(SCOPE);
    int points = 0;
    for (int col = 3; col < header.length; col++) {
      Gauge.Builder g = Gauge.newBuilder();
      for (String[] row : rows) {
        try {
          long t = Long.parseLong(row[1].trim()) * 1_000_000_000L;
          if (t < from || t >= to || row.length <= col || row[col].isBlank()) {
            continue;
          }
          double v = Double.parseDouble(row[col].trim());
          if (!Double.isFinite(v)) {
            continue; // "NaN" in the CSV is a missing measurement: OTLP has no point for it
          }
          g.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(t).setAsDouble(v));
          points++;
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
          skipped[0]++;
        }
      }
      if (g.getDataPointsCount() > 0) {
        sm.addMetrics(
            Metric.newBuilder()
                .setName(metricName(header[col]))
                .setUnit(unit(header[col]))
                .setGauge(g));
      }
    }
    if (sm.getMetricsCount() > 0) {
      rm.addScopeMetrics(sm);
    }
    return points;
  }

  static String metricName(String column) {
    int p = column.indexOf('(');
    return (p < 0 ? column : column.substring(0, p)).trim();
  }

  /** The unit in a column header, as UCUM where it has an obvious spelling. */
  static String unit(String column) {
    int p = column.indexOf('(');
    int q = column.lastIndexOf(')');
    if (p < 0 || q < p) {
      return "";
    }
    String u = column.substring(p + 1, q);
    return switch (u) {
      case "Mi" -> "MiBy";
      case "m" -> "m{cpu}";
      case "Ops" -> "{operation}/s";
      default -> u;
    };
  }

  private static Resource resource(String pod) {
    return Resource.newBuilder()
        .addAttributes(attribute("service.name", NezhaCase.serviceOfPod(pod)))
        .addAttributes(attribute("k8s.pod.name", pod))
        .build();
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  /** The start of the minute file that holds a time (for tests). */
  static String minuteFile(Instant t) {
    return MINUTE_FILE.format(t);
  }
}

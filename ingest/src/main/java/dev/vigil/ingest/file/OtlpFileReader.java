package dev.vigil.ingest.file;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.TelemetryBatch;
import dev.vigil.telemetry.otlp.DecodeResult;
import dev.vigil.telemetry.otlp.OtlpDecodeException;
import dev.vigil.telemetry.otlp.OtlpDecoder;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads OTLP files and directories (recursively, in name order). A message that cannot be decoded
 * is reported in {@link OtlpFileContent#problems()} and skipped; the rest is still read. A path
 * that does not exist is a configuration error and throws.
 */
public final class OtlpFileReader {
  private OtlpFileReader() {}

  public static OtlpFileContent read(List<Path> paths) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path p : paths) {
      if (!Files.exists(p)) {
        throw new IOException("no such file or directory: " + p);
      }
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile)
              .filter(OtlpFileReader::isOtlpFile)
              .sorted()
              .forEach(files::add);
        }
      } else {
        files.add(p);
      }
    }
    List<TelemetryBatch> batches = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path f : files) {
      if (name(f).endsWith(".binpb")) {
        readProtobuf(f, batches, problems);
      } else {
        readJsonLines(f, batches, problems);
      }
    }
    return new OtlpFileContent(batches, files.size(), problems);
  }

  static boolean isOtlpFile(Path p) {
    String n = name(p);
    return n.endsWith(".json") || n.endsWith(".jsonl") || n.endsWith(".binpb");
  }

  private static String name(Path p) {
    return p.getFileName().toString().toLowerCase(Locale.ROOT);
  }

  private static void readJsonLines(Path f, List<TelemetryBatch> out, List<String> problems)
      throws IOException {
    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = r.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        Signal signal = jsonSignal(line);
        if (signal == null) {
          problems.add(
              f
                  + ":"
                  + number
                  + ": not an OTLP request (no resourceSpans, resourceMetrics or resourceLogs)");
          continue;
        }
        try {
          keep(
              OtlpDecoder.decodePartial(
                  signal, line.getBytes(StandardCharsets.UTF_8), OtlpEncoding.OTLP_JSON),
              f + ":" + number,
              out,
              problems);
        } catch (OtlpDecodeException e) {
          problems.add(f + ":" + number + ": " + e.getMessage());
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The signal of an OTLP/JSON request, from its top-level field, or null. */
  static Signal jsonSignal(String json) {
    int spans = json.indexOf("\"resourceSpans\"");
    int metrics = json.indexOf("\"resourceMetrics\"");
    int logs = json.indexOf("\"resourceLogs\"");
    int first = Integer.MAX_VALUE;
    Signal signal = null;
    if (spans >= 0 && spans < first) {
      first = spans;
      signal = Signal.TRACES;
    }
    if (metrics >= 0 && metrics < first) {
      first = metrics;
      signal = Signal.METRICS;
    }
    if (logs >= 0 && logs < first) {
      signal = Signal.LOGS;
    }
    return signal;
  }

  private static void readProtobuf(Path f, List<TelemetryBatch> out, List<String> problems)
      throws IOException {
    byte[] bytes = Files.readAllBytes(f);
    if (bytes.length == 0) {
      return;
    }
    List<byte[]> messages = ProtobufFraming.split(bytes);
    Signal hint = signalFromName(name(f));
    for (int i = 0; i < messages.size(); i++) {
      byte[] m = messages.get(i);
      Signal signal = hint != null ? hint : probe(m);
      if (signal == null) {
        problems.add(
            f + ": message " + (i + 1) + " is not an OTLP traces, metrics or logs message");
        continue;
      }
      try {
        keep(
            OtlpDecoder.decodePartial(signal, m, OtlpEncoding.OTLP_PROTO),
            f + ": message " + (i + 1),
            out,
            problems);
      } catch (OtlpDecodeException e) {
        problems.add(f + ": message " + (i + 1) + ": " + e.getMessage());
      }
    }
  }

  /**
   * Keeps the valid items of a message; items that fail validation (a NaN value, an end before its
   * start) are counted in a problem line, as OTLP's partial success does, and the rest is used.
   */
  private static void keep(
      DecodeResult result, String where, List<TelemetryBatch> out, List<String> problems) {
    out.add(result.batch());
    if (result.rejected() > 0) {
      problems.add(
          where
              + ": "
              + result.rejected()
              + " items rejected "
              + result.rejectedByReason()
              + ", the rest kept: "
              + result.message());
    }
  }

  private static Signal signalFromName(String n) {
    if (n.contains("trace") || n.contains("span")) {
      return Signal.TRACES;
    }
    if (n.contains("metric")) {
      return Signal.METRICS;
    }
    if (n.contains("log")) {
      return Signal.LOGS;
    }
    return null;
  }

  /**
   * The signal of a protobuf message whose file name does not say: the three top-level messages
   * share their outer layout, so each is tried and the one that parses with no unknown fields (and,
   * for traces, with 16-byte trace ids) wins.
   */
  static Signal probe(byte[] m) {
    try {
      TracesData t = TracesData.parseFrom(m);
      if (clean(t)
          && t.getResourceSpansList().stream()
              .flatMap(r -> r.getScopeSpansList().stream())
              .flatMap(s -> s.getSpansList().stream())
              .allMatch(s -> s.getTraceId().size() == 16 && s.getSpanId().size() == 8)
          && t.getResourceSpansCount() > 0) {
        return Signal.TRACES;
      }
    } catch (InvalidProtocolBufferException e) {
      // not traces
    }
    try {
      MetricsData md = MetricsData.parseFrom(m);
      if (clean(md) && md.getResourceMetricsCount() > 0) {
        return Signal.METRICS;
      }
    } catch (InvalidProtocolBufferException e) {
      // not metrics
    }
    try {
      LogsData l = LogsData.parseFrom(m);
      if (clean(l) && l.getResourceLogsCount() > 0) {
        return Signal.LOGS;
      }
    } catch (InvalidProtocolBufferException e) {
      // not logs
    }
    return null;
  }

  /** Whether a message and all messages inside it have no unknown fields. */
  private static boolean clean(Message m) {
    if (!m.getUnknownFields().asMap().isEmpty()) {
      return false;
    }
    for (Object v : m.getAllFields().values()) {
      if (v instanceof Message child && !clean(child)) {
        return false;
      }
      if (v instanceof List<?> list) {
        for (Object o : list) {
          if (o instanceof Message child && !clean(child)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** How protobuf messages are laid out in a file. */
  static final class ProtobufFraming {
    private ProtobufFraming() {}

    /**
     * Splits a file into messages: four-byte big-endian length prefixes if they chain exactly to
     * the end of the file, else varint length prefixes if they do, else one message.
     */
    static List<byte[]> split(byte[] bytes) {
      List<byte[]> fixed = fixedPrefixed(bytes);
      if (fixed != null) {
        return fixed;
      }
      if (isCleanMessage(bytes)) {
        return List.of(bytes);
      }
      List<byte[]> varint = varintPrefixed(bytes);
      return varint != null ? varint : List.of(bytes);
    }

    private static boolean isCleanMessage(byte[] bytes) {
      return probe(bytes) != null;
    }

    private static List<byte[]> fixedPrefixed(byte[] bytes) {
      List<byte[]> out = new ArrayList<>();
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.remaining() > 0) {
        if (b.remaining() < 4) {
          return null;
        }
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
          return null;
        }
        byte[] m = new byte[n];
        b.get(m);
        out.add(m);
      }
      return out;
    }

    private static List<byte[]> varintPrefixed(byte[] bytes) {
      List<byte[]> out = new ArrayList<>();
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      try {
        while (!in.isAtEnd()) {
          int n = in.readRawVarint32();
          if (n < 0 || n > bytes.length - in.getTotalBytesRead()) {
            return null;
          }
          out.add(in.readRawBytes(n));
        }
      } catch (IOException e) {
        return null;
      }
      return out;
    }
  }
}

package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.Status;
import dev.vigil.ingest.http.OtlpHttpReceiver;
import dev.vigil.ingest.internal.IngestMetrics;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.TelemetryBatch;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The hostile corpus through the OTLP/HTTP receiver, each input followed by a valid export. */
@Tag("integration")
class HostileCorpusHttpTest {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Queue<TelemetryBatch> received = new ConcurrentLinkedQueue<>();
  private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private static final AtomicInteger validId = new AtomicInteger();
  private static OtlpHttpReceiver receiver;

  @BeforeAll
  static void start() {
    receiver =
        OtlpHttpReceiver.builder()
            .port(0)
            .maxBodyBytes(HostileCorpus.HTTP_LIMIT)
            .clock(Clock.fixed(HostileCorpus.NOW, ZoneOffset.UTC))
            .meterRegistry(registry)
            .build((Signal signal, TelemetryBatch batch) -> received.add(batch));
    receiver.start();
  }

  @AfterAll
  static void stop() {
    receiver.close();
  }

  static List<HostileCorpus.Case> cases() {
    return HostileCorpus.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachInputIsAnsweredAsTheSpecificationSaysAndTheNextExportIsCounted(HostileCorpus.Case c)
      throws Exception {
    received.clear();
    double rejectedBefore = count(IngestMetrics.REJECTED, c.reason());
    double rejectedItemsBefore = rejectedItems(c.signal(), c.reason());

    HttpResponse<byte[]> r = post(c.signal(), c.encoding(), c.body());

    assertThat(r.statusCode()).as("status").isEqualTo(c.httpStatus());
    assertThat(received.stream().mapToInt(TelemetryBatch::size).sum())
        .as("items handed on")
        .isEqualTo(c.httpItems());
    if (c.httpStatus() == 200) {
      long rejected = rejectedCount(c.signal(), c.encoding(), r.body());
      assertThat(rejected).as("partial success rejected count").isEqualTo(c.httpRejected());
      if (c.reason() != null) {
        assertThat(rejectedItems(c.signal(), c.reason()) - rejectedItemsBefore)
            .isEqualTo(c.httpRejected());
      }
    } else {
      Status status = status(c.encoding(), r.body());
      assertThat(status.getMessage()).isNotBlank();
      assertThat(status.getDetails(0).unpack(BadRequest.class).getFieldViolations(0).getReason())
          .isEqualTo(c.reason());
      assertThat(count(IngestMetrics.REJECTED, c.reason()) - rejectedBefore).isEqualTo(1);
    }
    if (c.name().contains("service.name")) {
      assertThat(received.peek().spans())
          .extracting(SpanRecord::service)
          .containsOnly("unknown_service");
    }

    // The receiver goes on: the next export is taken whole.
    received.clear();
    HttpResponse<byte[]> next =
        post(
            Signal.TRACES,
            OtlpEncoding.OTLP_PROTO,
            HostileCorpus.valid(validId.incrementAndGet(), 3));
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(received).singleElement().satisfies(b -> assertThat(b.spans()).hasSize(3));
  }

  private static HttpResponse<byte[]> post(Signal signal, OtlpEncoding encoding, byte[] body)
      throws Exception {
    String path =
        switch (signal) {
          case TRACES -> "/v1/traces";
          case METRICS -> "/v1/metrics";
          case LOGS -> "/v1/logs";
        };
    return CLIENT.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + receiver.address().getPort() + path))
            .header("Content-Type", type(encoding))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String type(OtlpEncoding encoding) {
    return encoding == OtlpEncoding.OTLP_JSON ? "application/json" : "application/x-protobuf";
  }

  private static long rejectedCount(Signal signal, OtlpEncoding encoding, byte[] body)
      throws Exception {
    boolean json = encoding == OtlpEncoding.OTLP_JSON;
    String text = new String(body, StandardCharsets.UTF_8);
    return switch (signal) {
      case TRACES -> {
        ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
        if (json) {
          JsonFormat.parser().merge(text, b);
        } else {
          b.mergeFrom(body);
        }
        yield b.getPartialSuccess().getRejectedSpans();
      }
      case METRICS -> {
        ExportMetricsServiceResponse.Builder b = ExportMetricsServiceResponse.newBuilder();
        if (json) {
          JsonFormat.parser().merge(text, b);
        } else {
          b.mergeFrom(body);
        }
        yield b.getPartialSuccess().getRejectedDataPoints();
      }
      case LOGS -> {
        ExportLogsServiceResponse.Builder b = ExportLogsServiceResponse.newBuilder();
        if (json) {
          JsonFormat.parser().merge(text, b);
        } else {
          b.mergeFrom(body);
        }
        yield b.getPartialSuccess().getRejectedLogRecords();
      }
    };
  }

  private static Status status(OtlpEncoding encoding, byte[] body) throws Exception {
    if (encoding == OtlpEncoding.OTLP_PROTO) {
      return Status.parseFrom(body);
    }
    Status.Builder b = Status.newBuilder();
    JsonFormat.parser()
        .usingTypeRegistry(
            JsonFormat.TypeRegistry.newBuilder().add(BadRequest.getDescriptor()).build())
        .merge(new String(body, StandardCharsets.UTF_8), b);
    return b.build();
  }

  private static double count(String name, String reason) {
    Counter c =
        registry
            .find(name)
            .tag("source", "otlp_http")
            .tag("reason", String.valueOf(reason))
            .counter();
    return c == null ? 0 : c.count();
  }

  private static double rejectedItems(Signal signal, String reason) {
    Counter c =
        registry
            .find(IngestMetrics.REJECTED_ITEMS)
            .tag("signal", IngestMetrics.tag(signal))
            .tag("reason", String.valueOf(reason))
            .counter();
    return c == null ? 0 : c.count();
  }
}

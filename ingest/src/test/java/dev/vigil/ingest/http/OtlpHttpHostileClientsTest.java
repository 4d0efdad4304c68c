package dev.vigil.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import dev.vigil.ingest.http.server.HttpLimits;
import dev.vigil.ingest.http.server.RawHttp;
import dev.vigil.ingest.internal.IngestMetrics;
import dev.vigil.telemetry.SpanRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The receiver under abuse (issue 11, "Hostile clients"): a valid export from the OpenTelemetry SDK
 * still succeeds while 200 connections sit stalled mid-body, and an oversized export learns 413
 * from its {@code Content-Length} alone, in the OTLP error format.
 */
@Tag("integration")
class OtlpHttpHostileClientsTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final int STALLED = 200;

  private final CollectingSink sink = new CollectingSink();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private OtlpHttpReceiver receiver;

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void aValidSdkExportSucceedsWhile200ConnectionsAreStalledMidBody() throws Exception {
    receiver = OtlpHttpReceiver.builder().port(0).meterRegistry(registry).build(sink);
    receiver.start();
    int port = receiver.address().getPort();
    List<RawHttp> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < STALLED; i++) {
        RawHttp c = RawHttp.connect(port, DEADLINE);
        stalled.add(c);
        // Declares 100 000 bytes, sends 10, then nothing.
        assertThat(
                c.send(
                    RawHttp.postHead(
                            "/v1/traces", "application/x-protobuf", "Content-Length: 100000")
                        + "0123456789"))
            .isTrue();
      }
      // All 200 are inside the receiver, mid-body.
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (receiver.listener().bufferedBytes() < STALLED * 10L && System.nanoTime() < end) {
        Thread.sleep(10);
      }
      assertThat(receiver.listener().bufferedBytes()).isEqualTo(STALLED * 10L);

      SdkTracerProvider provider =
          SdkTracerProvider.builder()
              .setResource(
                  Resource.getDefault().toBuilder().put("service.name", "checkout").build())
              .addSpanProcessor(
                  SimpleSpanProcessor.create(
                      OtlpHttpSpanExporter.builder()
                          .setEndpoint("http://127.0.0.1:" + port + "/v1/traces")
                          .setTimeout(DEADLINE)
                          .build()))
              .build();
      String spanId;
      try {
        Span span = provider.get("test").spanBuilder("GET /cart").startSpan();
        spanId = span.getSpanContext().getSpanId();
        span.end();
        assertThat(provider.forceFlush().join(DEADLINE.toSeconds(), TimeUnit.SECONDS).isSuccess())
            .isTrue();
      } finally {
        provider.shutdown().join(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      }
      assertThat(sink.spans).extracting(SpanRecord::spanId).containsExactly(spanId);
      assertThat(receiver.listener().bufferedBytes()).isEqualTo(STALLED * 10L);
    } finally {
      for (RawHttp c : stalled) {
        c.close();
      }
    }
  }

  @Test
  void stalledExportsAreCutOffWith408AndCounted() throws Exception {
    receiver =
        OtlpHttpReceiver.builder()
            .port(0)
            .meterRegistry(registry)
            .limits(HttpLimits.defaults().withIdleTimeout(Duration.ofMillis(300)))
            .build(sink);
    receiver.start();
    try (RawHttp c = RawHttp.connect(receiver.address().getPort(), DEADLINE)) {
      c.send(RawHttp.postHead("/v1/logs", "application/x-protobuf", "Content-Length: 100") + "abc");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(408);
      assertThat(Status.parseFrom(r.body()).getCode()).isEqualTo(4); // DEADLINE_EXCEEDED
      assertThat(c.closedByServer()).isTrue();
    }
    assertThat(rejected("timeout")).isEqualTo(1);
  }

  @Test
  void anOversizedExportGets413FromItsContentLengthBeforeTheBodyIsSent() throws Exception {
    receiver =
        OtlpHttpReceiver.builder()
            .port(0)
            .meterRegistry(registry)
            .maxBodyBytes(64 * 1024)
            .build(sink);
    receiver.start();
    try (RawHttp c = RawHttp.connect(receiver.address().getPort(), DEADLINE)) {
      c.send(
          RawHttp.postHead(
              "/v1/traces",
              "application/json",
              "Content-Length: 500000000",
              "Expect: 100-continue"));
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.headers()).containsEntry("content-type", "application/json");
      assertThat(r.text())
          .contains("500000000 bytes")
          .contains("limit is 65536 bytes")
          .contains("split the export");
    }
    assertThat(rejected("too_large")).isEqualTo(1);
    assertThat(sink.spans).isEmpty();
  }

  private double rejected(String reason) {
    return registry
        .get(IngestMetrics.REJECTED)
        .tag("source", "otlp_http")
        .tag("reason", reason)
        .counter()
        .count();
  }
}

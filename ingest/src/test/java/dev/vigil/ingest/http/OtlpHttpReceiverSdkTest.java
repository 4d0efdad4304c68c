package dev.vigil.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.internal.IngestMetrics;
import dev.vigil.telemetry.LogEntry;
import dev.vigil.telemetry.MetricPoint;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.StatusCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The OpenTelemetry Java SDK's own OTLP/HTTP exporters (JDK sender) against the receiver. */
@Tag("integration")
class OtlpHttpReceiverSdkTest {
  private static final Resource RESOURCE =
      Resource.getDefault().toBuilder().put("service.name", "checkout").build();

  private final CollectingSink sink = new CollectingSink();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private OtlpHttpReceiver receiver;
  private String base;

  @BeforeEach
  void start() {
    receiver = OtlpHttpReceiver.builder().port(0).meterRegistry(registry).build(sink);
    receiver.start();
    base = "http://127.0.0.1:" + receiver.address().getPort();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Test
  void receivesExactlyTheSpansTheSdkExports() {
    List<Span> sent = new ArrayList<>();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(RESOURCE)
            .addSpanProcessor(
                SimpleSpanProcessor.create(
                    OtlpHttpSpanExporter.builder()
                        .setEndpoint(base + "/v1/traces")
                        .setCompression("gzip")
                        .build()))
            .build();
    try {
      Tracer tracer = provider.get("test");
      Span root = tracer.spanBuilder("GET /checkout").startSpan();
      sent.add(root);
      try (Scope scope = root.makeCurrent()) {
        assertThat(scope).isNotNull();
        for (int i = 0; i < 4; i++) {
          Span child =
              tracer.spanBuilder("SELECT orders").setAttribute("db.rows", (long) i).startSpan();
          child.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR);
          child.end();
          sent.add(child);
        }
      }
      root.end();
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }

    assertThat(sink.spans)
        .extracting(SpanRecord::spanId)
        .containsExactlyInAnyOrderElementsOf(
            sent.stream().map(s -> s.getSpanContext().getSpanId()).toList());
    String traceId = sent.get(0).getSpanContext().getTraceId();
    assertThat(sink.spans).allSatisfy(s -> assertThat(s.traceId()).isEqualTo(traceId));
    assertThat(sink.spans).allSatisfy(s -> assertThat(s.service()).isEqualTo("checkout"));
    assertThat(sink.spans)
        .filteredOn(s -> s.name().equals("SELECT orders"))
        .hasSize(4)
        .allSatisfy(
            s -> {
              assertThat(s.parentSpanId()).isEqualTo(sent.get(0).getSpanContext().getSpanId());
              assertThat(s.status()).isEqualTo(StatusCode.ERROR);
              assertThat(s.durationNanos()).isNotNegative();
            })
        .extracting(s -> s.attributes().get("db.rows"))
        .containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
    assertThat(sink.lanes).containsOnly(OtlpHttpHandler.LANE);
    assertThat(items("traces")).isEqualTo(5);
  }

  @Test
  void receivesTheSdksMetrics() {
    List<MetricPoint> received;
    double itemsAtFlush;
    SdkMeterProvider provider =
        SdkMeterProvider.builder()
            .setResource(RESOURCE)
            .registerMetricReader(
                PeriodicMetricReader.builder(
                        OtlpHttpMetricExporter.builder().setEndpoint(base + "/v1/metrics").build())
                    .setInterval(Duration.ofHours(1))
                    .build())
            .build();
    try {
      LongCounter requests = provider.get("test").counterBuilder("requests").build();
      requests.add(3, Attributes.of(AttributeKey.stringKey("route"), "/cart"));
      requests.add(4, Attributes.of(AttributeKey.stringKey("route"), "/cart"));
      provider.get("test").histogramBuilder("latency").setUnit("ms").build().record(12.5);
      provider.get("test").gaugeBuilder("queue.depth").buildWithCallback(m -> m.record(7.0));
      CompletableResultCode flushed = provider.forceFlush().join(10, TimeUnit.SECONDS);
      assertThat(flushed.isSuccess()).isTrue();
      // Shutting down exports the (cumulative) points once more; look at the first export only.
      received = List.copyOf(sink.metrics);
      itemsAtFlush = items("metrics");
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }

    assertThat(received)
        .extracting(MetricPoint::name)
        .containsExactlyInAnyOrder("requests", "latency", "queue.depth");
    assertThat(received).allSatisfy(p -> assertThat(p.service()).isEqualTo("checkout"));
    assertThat(received)
        .filteredOn(p -> p instanceof MetricPoint.Sum)
        .singleElement()
        .satisfies(
            p -> {
              MetricPoint.Sum sum = (MetricPoint.Sum) p;
              assertThat(sum.value()).isEqualTo(7.0);
              assertThat(sum.monotonic()).isTrue();
              assertThat(sum.attributes()).containsEntry("route", "/cart");
            });
    assertThat(received)
        .filteredOn(p -> p instanceof MetricPoint.Histogram)
        .singleElement()
        .satisfies(
            p -> {
              MetricPoint.Histogram h = (MetricPoint.Histogram) p;
              assertThat(h.count()).isEqualTo(1);
              assertThat(h.sum()).isEqualTo(12.5);
              assertThat(h.unit()).isEqualTo("ms");
            });
    assertThat(received)
        .filteredOn(p -> p instanceof MetricPoint.Gauge)
        .singleElement()
        .satisfies(p -> assertThat(((MetricPoint.Gauge) p).value()).isEqualTo(7.0));
    assertThat(itemsAtFlush).isEqualTo(3);
  }

  @Test
  void receivesTheSdksLogRecords() {
    SdkLoggerProvider provider =
        SdkLoggerProvider.builder()
            .setResource(RESOURCE)
            .addLogRecordProcessor(
                SimpleLogRecordProcessor.create(
                    OtlpHttpLogRecordExporter.builder().setEndpoint(base + "/v1/logs").build()))
            .build();
    Span span =
        Span.wrap(
            SpanContext.create(
                "0af7651916cd43dd8448eb211c80319c",
                "b7ad6b7169203331",
                TraceFlags.getSampled(),
                TraceState.getDefault()));
    try (Scope scope = span.makeCurrent()) {
      assertThat(scope).isNotNull();
      provider
          .get("test")
          .logRecordBuilder()
          .setSeverity(Severity.ERROR)
          .setSeverityText("ERROR")
          .setBody("payment declined")
          .setAttribute(AttributeKey.longKey("attempt"), 2L)
          .emit();
      provider.get("test").logRecordBuilder().setSeverity(Severity.INFO).setBody("ok").emit();
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }

    assertThat(sink.logs)
        .extracting(LogEntry::body)
        .containsExactlyInAnyOrder("payment declined", "ok");
    LogEntry error = sink.logs.stream().filter(LogEntry::isError).findFirst().orElseThrow();
    assertThat(error.service()).isEqualTo("checkout");
    assertThat(error.severityText()).isEqualTo("ERROR");
    assertThat(error.traceId()).isEqualTo(span.getSpanContext().getTraceId());
    assertThat(error.spanId()).isEqualTo(span.getSpanContext().getSpanId());
    assertThat(error.attributes()).containsEntry("attempt", 2L);
    assertThat(items("logs")).isEqualTo(2);
  }

  private double items(String signal) {
    return registry
        .get(IngestMetrics.ITEMS)
        .tag("source", IngestMetrics.SOURCE_OTLP_HTTP)
        .tag("signal", signal)
        .counter()
        .count();
  }
}

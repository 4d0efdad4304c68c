package dev.vigil.service.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.vigil.features.FeatureConfig;
import dev.vigil.features.WindowFeatures;
import dev.vigil.models.Anomaly;
import dev.vigil.models.FeatureDeviation;
import dev.vigil.models.MonitorConfig;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.SpanKind;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.StatusCode;
import dev.vigil.telemetry.TelemetryBatch;
import dev.vigil.telemetry.otlp.OtlpDecoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Metric points and log records through the live pipeline, as OTLP protobuf bytes: a deployment
 * that sends no spans still gets its windows closed, its metric and log features attached and
 * scored, and a CPU jump or a burst of error logs becomes an anomaly pointing at example traces.
 */
class PipelineSignalsTest {
  private static final long T0 = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z
  private static final long SECOND = 1_000_000_000L;

  private final VigilPipeline pipeline =
      new VigilPipeline(
          FeatureConfig.defaults(), MonitorConfig.defaults(), new SimpleMeterRegistry());
  private final List<WindowFeatures> windows = new ArrayList<>();
  private final List<Anomaly> anomalies = new ArrayList<>();

  {
    pipeline.addListener(
        new PipelineListener() {
          @Override
          public void onWindow(WindowFeatures window) {
            windows.add(window);
          }

          @Override
          public void onAnomaly(Anomaly anomaly) {
            anomalies.add(anomaly);
          }
        });
  }

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static Resource resource(String service) {
    return Resource.newBuilder().addAttributes(attr("service.name", service)).build();
  }

  private static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  /** One gauge point of payment's CPU at the given time, with an exemplar of a trace. */
  private void cpu(long at, double value, String traceId) throws Exception {
    NumberDataPoint.Builder point =
        NumberDataPoint.newBuilder().setTimeUnixNano(at).setAsDouble(value);
    point.addExemplars(
        Exemplar.newBuilder()
            .setTimeUnixNano(at)
            .setAsDouble(value)
            .setTraceId(id(traceId))
            .setSpanId(id("00000000000000a1")));
    byte[] bytes =
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(resource("payment"))
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(
                                Metric.newBuilder()
                                    .setName("process.cpu.utilization")
                                    .setUnit("1")
                                    .setGauge(Gauge.newBuilder().addDataPoints(point)))))
            .build()
            .toByteArray();
    pipeline.accept(Signal.METRICS, OtlpDecoder.decode(Signal.METRICS, bytes));
  }

  private void logs(long at, int info, int errors, String traceId) throws Exception {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int i = 0; i < info + errors; i++) {
      boolean error = i >= info;
      LogRecord.Builder r =
          LogRecord.newBuilder()
              .setTimeUnixNano(at + i)
              .setSeverityNumber(
                  error
                      ? SeverityNumber.SEVERITY_NUMBER_ERROR
                      : SeverityNumber.SEVERITY_NUMBER_INFO)
              .setBody(AnyValue.newBuilder().setStringValue(error ? "card declined" : "ok"));
      if (error) {
        r.setTraceId(id(traceId)).setSpanId(id("00000000000000b2"));
      }
      scope.addLogRecords(r);
    }
    byte[] bytes =
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder().setResource(resource("payment")).addScopeLogs(scope))
            .build()
            .toByteArray();
    pipeline.accept(Signal.LOGS, OtlpDecoder.decode(Signal.LOGS, bytes));
  }

  private static String trace(int i) {
    return String.format("%032x", i + 1);
  }

  @Test
  void aCpuJumpAndAnErrorLogBurstBecomeAnomaliesWithoutAnySpans() throws Exception {
    Random random = new Random(3);
    int normal = 300;
    for (int i = 0; i < normal; i++) {
      long at = T0 + i * 10 * SECOND + 5 * SECOND;
      cpu(at, 0.3 + 0.01 * random.nextGaussian(), trace(i));
      logs(at, 20 + random.nextInt(5), 0, trace(i));
    }
    assertThat(anomalies).as("anomalies in the normal stretch").isEmpty();
    assertThat(windows).as("windows closed by metric and log time alone").hasSizeGreaterThan(250);
    assertThat(windows.get(100).signals()).containsKey("payment");
    assertThat(windows.get(100).signals().get("payment").values())
        .containsKeys("metric:process.cpu.utilization:last", "log:error_rate");

    // The fault: CPU saturates and payments fail.
    for (int i = normal; i < normal + 10; i++) {
      long at = T0 + i * 10 * SECOND + 5 * SECOND;
      cpu(at, 0.97, trace(i));
      logs(at, 20, 15, trace(i));
    }
    assertThat(anomalies).isNotEmpty();
    // The error logs count at once, as the span error rate does.
    Anomaly first = anomalies.get(0);
    assertThat(first.service()).isEqualTo("payment");
    assertThat(first.windowStart().toEpochMilli() * 1_000_000L)
        .isEqualTo(T0 + normal * 10 * SECOND);
    assertThat(first.drivers()).extracting(FeatureDeviation::feature).contains("log:error_rate");
    assertThat(first.detectors()).contains("robust_baseline");
    assertThat(first.exemplarTraceIds()).contains(trace(normal));
    // The CPU once it has stayed up for two windows, with the exemplar of its point.
    Anomaly second = anomalies.get(1);
    assertThat(second.windowStart().toEpochMilli() * 1_000_000L)
        .isEqualTo(T0 + (normal + 1) * 10 * SECOND);
    assertThat(second.drivers())
        .extracting(FeatureDeviation::feature)
        .contains("metric:process.cpu.utilization:last", "log:error_rate");
    assertThat(second.detectors()).contains("bin_novelty", "robust_baseline");
    assertThat(second.exemplarTraceIds()).contains(trace(normal + 1));
    assertThat(pipeline.signalStats().latePoints()).isZero();
    assertThat(pipeline.signalStats().lateLogs()).isZero();
  }

  @Test
  void aMetricExportBeforeTheFirstSpansDoesNotMakeThemLate() throws Exception {
    // At start-up the first metric export (here 10 s in) can reach the pipeline before the first
    // span batch: the spans of the first seconds must still count.
    cpu(T0 + 10 * SECOND, 0.3, trace(0));
    List<SpanRecord> spans = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      long start = T0 + i * 200_000_000L;
      spans.add(
          new SpanRecord(
              trace(i),
              "00000000000000c3",
              "",
              dev.vigil.telemetry.Resource.ofService("payment"),
              "Charge",
              SpanKind.SERVER,
              start,
              start + 20_000_000L,
              StatusCode.OK,
              java.util.Map.of()));
    }
    pipeline.accept(Signal.TRACES, TelemetryBatch.ofSpans(spans));
    pipeline.flush();
    assertThat(pipeline.featureStats().lateSpans()).isZero();
    assertThat(windows.get(0).services().get("payment").requests()).isEqualTo(50);
  }
}

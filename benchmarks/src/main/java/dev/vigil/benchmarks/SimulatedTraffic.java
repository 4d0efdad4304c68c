package dev.vigil.benchmarks;

import dev.vigil.trainingdata.sim.KafkaSpanExporter;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.OtlpBytesSpanExporter;
import dev.vigil.trainingdata.sim.Topology;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * OTLP trace exports as the OpenTelemetry SDK makes them ({@code ExportTraceServiceRequest}
 * protobuf, one per batch of up to 512 spans), produced by the {@link MicroserviceSimulator} on the
 * shop topology.
 */
public final class SimulatedTraffic {
  /** A fixed simulated start, so that runs are comparable. */
  public static final Instant START = Instant.parse("2024-05-01T12:00:00Z");

  /** Entry requests per simulated second: high, so that little simulated time is needed. */
  static final double RATE = 2_000;

  private SimulatedTraffic() {}

  /**
   * One export message.
   *
   * @param bytes the OTLP protobuf bytes
   * @param spans the number of spans in it
   */
  public record Export(byte[] bytes, int spans) {}

  /** Simulates until at least {@code minSpans} spans were exported; returns the exports. */
  public static List<Export> exports(long minSpans, long seed) {
    Collecting collecting = new Collecting();
    try (MicroserviceSimulator sim = simulator(collecting.exporter, seed, RATE)) {
      while (collecting.spans() < minSpans) {
        sim.runFor(Duration.ofSeconds(2));
      }
    }
    synchronized (collecting) {
      return List.copyOf(collecting.exports);
    }
  }

  /** Simulates into a Kafka topic until at least {@code minSpans} spans were acknowledged. */
  public static KafkaSpanExporter toKafka(
      String bootstrap, String topic, long minSpans, long seed) {
    return toKafka(bootstrap, topic, minSpans, seed, RATE);
  }

  /**
   * As {@link #toKafka(String, String, long, long)} at {@code rate} entry requests per simulated
   * second: a lower rate spreads the same spans over more windows.
   */
  public static KafkaSpanExporter toKafka(
      String bootstrap, String topic, long minSpans, long seed, double rate) {
    KafkaSpanExporter exporter = new KafkaSpanExporter(bootstrap, topic);
    try (MicroserviceSimulator sim = simulator(exporter, seed, rate)) {
      while (sim.spans() < minSpans) {
        sim.runFor(Duration.ofSeconds(2));
      }
    }
    return exporter;
  }

  private static MicroserviceSimulator simulator(SpanExporter exporter, long seed, double rate) {
    return MicroserviceSimulator.builder()
        .topology(Topology.shop())
        .exporter(exporter)
        .seed(seed)
        .baseRatePerSecond(rate)
        .startTime(START)
        .scheduleDelayMillis(50)
        .build();
  }

  /** Keeps the marshaled exports in memory. */
  private static final class Collecting {
    private final List<Export> exports = new ArrayList<>();
    private long spans;
    private final SpanExporter exporter =
        new OtlpBytesSpanExporter(
            (otlp, n) -> {
              synchronized (this) {
                exports.add(new Export(otlp, n));
                spans += n;
              }
              return CompletableResultCode.ofSuccess();
            });

    synchronized long spans() {
      return spans;
    }
  }
}

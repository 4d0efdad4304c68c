package dev.vigil.ingest;

import dev.vigil.ingest.internal.IngestMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/** Reads the ingest meters of the traces signal, for the tests' assertions. */
final class IngestMeters {
  private IngestMeters() {}

  /** Records of the traces topic by outcome ({@code accepted}, {@code dead_letter}). */
  static double records(MeterRegistry registry, String outcome) {
    return registry
        .get(IngestMetrics.RECORDS)
        .tag("signal", "traces")
        .tag("outcome", outcome)
        .counter()
        .count();
  }

  /** Dead letters by reason. */
  static double deadLetters(MeterRegistry registry, String reason) {
    return registry.get(IngestMetrics.DEAD_LETTERS).tag("reason", reason).counter().count();
  }
}

package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.LogEntry;
import dev.vigil.telemetry.MetricPoint;
import dev.vigil.telemetry.Resource;
import dev.vigil.telemetry.TelemetryBatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A record's offset is committed once the sink's durable point passes its newest event time, so
 * metric points and log records must count, not only span ends: the pipeline keeps them in open
 * windows too.
 */
class RecordHandlerEventTimeTest {
  private static final Resource PAYMENT = Resource.ofService("payment");

  @Test
  void metricPointsAndLogRecordsHaveEventTimes() {
    MetricPoint early =
        new MetricPoint.Gauge(PAYMENT, "cpu", "1", Map.of(), 0, 1_000, 0.5, List.of());
    MetricPoint late =
        new MetricPoint.Gauge(PAYMENT, "cpu", "1", Map.of(), 0, 3_000, 0.5, List.of());
    LogEntry log = new LogEntry(PAYMENT, 2_000, 17, "ERROR", "boom", "", "", "", Map.of());

    assertThat(
            RecordHandler.newestEventTime(
                new TelemetryBatch(List.of(), List.of(early, late), List.of())))
        .isEqualTo(3_000);
    assertThat(
            RecordHandler.newestEventTime(new TelemetryBatch(List.of(), List.of(), List.of(log))))
        .isEqualTo(2_000);
    assertThat(RecordHandler.newestEventTime(TelemetryBatch.EMPTY))
        .isEqualTo(RecordHandler.NO_EVENT_TIME);
  }
}

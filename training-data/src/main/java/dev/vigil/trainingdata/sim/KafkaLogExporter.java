package dev.vigil.trainingdata.sim;

import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.util.Collection;

/**
 * Writes log records to a Kafka topic as the OpenTelemetry Collector's kafka exporter does with
 * {@code encoding: otlp_proto}: one record per export batch, value = {@code
 * ExportLogsServiceRequest} protobuf bytes (the same bytes as {@code LogsData}) made by the SDK's
 * own OTLP marshaler, empty key. Shared by several logger providers: {@link #shutdown} closes the
 * producer once.
 */
public final class KafkaLogExporter extends KafkaOtlpExporter implements LogRecordExporter {
  public KafkaLogExporter(String bootstrapServers, String topic) {
    super(bootstrapServers, topic);
  }

  @Override
  public CompletableResultCode export(Collection<LogRecordData> logs) {
    return send(marshal(logs), logs.size());
  }

  /** OTLP protobuf bytes of an {@code ExportLogsServiceRequest} holding the log records. */
  public static byte[] marshal(Collection<LogRecordData> logs) {
    return bytes(LogsRequestMarshaler.create(logs));
  }

  /** Log records acknowledged by the broker. */
  public long logs() {
    return items();
  }

  /** Log records whose record the broker did not take. */
  public long failedLogs() {
    return failedItems();
  }
}

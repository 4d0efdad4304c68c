/**
 * Reads recorded OpenTelemetry data from files, for offline analysis: OTLP/JSON lines as the
 * Collector's file exporter writes them ({@code *.json}, {@code *.jsonl}; one {@code
 * ExportTraceServiceRequest}, {@code ExportMetricsServiceRequest} or {@code
 * ExportLogsServiceRequest} per line) and OTLP protobuf files ({@code *.binpb}: one message, or a
 * stream of messages each prefixed by its length as a varint, per the OTLP file-exporter
 * specification, or as four big-endian bytes, as the Collector writes them). Each message is
 * decoded with {@link dev.vigil.telemetry.otlp.OtlpDecoder}, the same decoder as the Kafka source.
 */
package dev.vigil.ingest.file;

package dev.vigil.trainingdata.nezha;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * One fault as OTLP: the spans of its trace files and the metrics of every pod around it.
 *
 * @param skippedRows CSV rows that could not be converted (malformed ids or numbers)
 */
public record NezhaRecording(
    NezhaCase fault,
    ExportTraceServiceRequest traces,
    ExportMetricsServiceRequest metrics,
    ExportLogsServiceRequest logs,
    int spans,
    int metricPoints,
    int logRecords,
    int skippedRows) {}

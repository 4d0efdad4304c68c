/**
 * Codecs for the OpenTelemetry protocol (OTLP): binary protobuf ({@code TracesData}, {@code
 * MetricsData}, {@code LogsData} and the byte-identical {@code Export*ServiceRequest} messages) and
 * OTLP/JSON (hex trace and span ids, 64-bit integers as strings or numbers, enums as integers).
 *
 * <p>{@link dev.vigil.telemetry.otlp.OtlpDecoder} is the entry point. A message that cannot be
 * decoded raises {@link dev.vigil.telemetry.otlp.OtlpDecodeException} carrying a short,
 * machine-readable reason, which the ingest layer uses as the dead-letter reason.
 */
package dev.vigil.telemetry.otlp;

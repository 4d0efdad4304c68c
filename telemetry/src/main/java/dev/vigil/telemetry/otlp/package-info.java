/**
 * Codecs for the OpenTelemetry protocol (OTLP): binary protobuf ({@code TracesData}, {@code
 * MetricsData}, {@code LogsData} and the byte-identical {@code Export*ServiceRequest} messages) and
 * OTLP/JSON (hex trace and span ids, 64-bit integers as strings or numbers, enums as integers).
 *
 * <p>{@link dev.vigil.telemetry.otlp.OtlpDecoder} is the entry point. A message that cannot be
 * decoded raises {@link dev.vigil.telemetry.otlp.OtlpDecodeException} carrying a short,
 * machine-readable reason, which the ingest layer uses as the dead-letter reason.
 *
 * <p>Protobuf traces are read by {@code StreamingTraceDecoder}, field by field with {@code
 * CodedInputStream} and without building the message tree, at about twice the speed of {@code
 * parseFrom}; whatever it does not model (merged sub-messages, groups, deep nesting, malformed
 * input) it hands to {@code parseFrom}, so both give the same records and the same errors.
 */
package dev.vigil.telemetry.otlp;

/**
 * Vigil's telemetry model: immutable records for resources, spans, metric points and log records,
 * independent of any transport. Codecs for the OpenTelemetry protocol live in {@code
 * dev.vigil.telemetry.otlp}. Nothing here knows about Kafka or HTTP.
 */
package dev.vigil.telemetry;

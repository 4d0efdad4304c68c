/**
 * An OTLP/HTTP receiver: OpenTelemetry SDKs and Collectors export straight to Vigil ({@code POST
 * /v1/traces}, {@code /v1/metrics}, {@code /v1/logs}, default port 4318), as they would to a
 * Collector. {@link dev.vigil.ingest.http.OtlpHttpReceiver} decodes each export leniently (valid
 * items go on, invalid ones are reported back as a partial success), answers errors with the status
 * codes and {@code google.rpc.Status} bodies of the OTLP specification, and pushes back with 429
 * and {@code Retry-After} when the sink cannot keep up. Nothing is dropped silently: a client
 * always learns what was not accepted, and every outcome is counted by reason.
 */
package dev.vigil.ingest.http;

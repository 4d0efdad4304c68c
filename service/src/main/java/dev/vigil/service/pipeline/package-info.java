/**
 * The streaming pipeline: decoded telemetry in, windows, anomalies, alerts and incidents out, and
 * the state the HTTP API and the question answerer read.
 */
package dev.vigil.service.pipeline;

package dev.vigil.telemetry;

/** The OpenTelemetry signals Vigil ingests. */
public enum Signal {
  TRACES,
  METRICS,
  LOGS
}

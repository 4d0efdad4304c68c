package dev.vigil.telemetry;

/** The OTLP span kind; ordinals equal the OTLP enum numbers. */
public enum SpanKind {
  UNSPECIFIED,
  INTERNAL,
  SERVER,
  CLIENT,
  PRODUCER,
  CONSUMER;

  private static final SpanKind[] VALUES = values();

  /** The kind for an OTLP enum number; unknown numbers map to {@link #UNSPECIFIED}. */
  public static SpanKind fromOtlp(int number) {
    return number >= 0 && number < VALUES.length ? VALUES[number] : UNSPECIFIED;
  }

  /** Whether a span of this kind measures work a service does for a caller. */
  public boolean isEntry() {
    return this == SERVER || this == CONSUMER;
  }

  /** Whether a span of this kind calls out of its service. */
  public boolean isExit() {
    return this == CLIENT || this == PRODUCER;
  }
}

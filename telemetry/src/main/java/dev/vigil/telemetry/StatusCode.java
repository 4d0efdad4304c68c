package dev.vigil.telemetry;

/** The OTLP span status code; ordinals equal the OTLP enum numbers. */
public enum StatusCode {
  UNSET,
  OK,
  ERROR;

  /** The status for an OTLP enum number; unknown numbers map to {@link #UNSET}. */
  public static StatusCode fromOtlp(int number) {
    return switch (number) {
      case 1 -> OK;
      case 2 -> ERROR;
      default -> UNSET;
    };
  }
}

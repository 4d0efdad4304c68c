package dev.vigil.telemetry.otlp;

/**
 * An OTLP message that cannot be decoded. {@link #reason()} is a short snake_case code (for example
 * {@code malformed_protobuf} or {@code invalid_trace_id}) suitable as a metric tag and a
 * dead-letter header; the message explains the problem to a person.
 */
public final class OtlpDecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  public static final String MALFORMED_PROTOBUF = "malformed_protobuf";
  public static final String MALFORMED_JSON = "malformed_json";
  public static final String INVALID_TRACE_ID = "invalid_trace_id";
  public static final String INVALID_SPAN_ID = "invalid_span_id";
  public static final String EMPTY_MESSAGE = "empty_message";

  /** A span ends before it starts, or a metric point's start time is after its time. */
  public static final String END_BEFORE_START = "end_before_start";

  /**
   * A required timestamp is missing, or a timestamp lies outside {@link
   * Timestamps#MIN_EPOCH_NANOS}..{@link Timestamps#MAX_EPOCH_NANOS} (a unit mistake, or an unsigned
   * 64-bit value past 2262 that Java reads as negative).
   */
  public static final String TIMESTAMP_OUT_OF_RANGE = "timestamp_out_of_range";

  /** A measured value (gauge, sum, histogram sum, summary quantile) is NaN or infinite. */
  public static final String NON_FINITE_VALUE = "non_finite_value";

  /** A histogram's bucket counts do not fit its bounds. */
  public static final String INVALID_HISTOGRAM = "invalid_histogram";

  private final String reason;

  public OtlpDecodeException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public OtlpDecodeException(String reason, String message) {
    this(reason, message, null);
  }

  public String reason() {
    return reason;
  }
}

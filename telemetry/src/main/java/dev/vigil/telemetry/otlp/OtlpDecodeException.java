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

package dev.vigil.ingest.http;

/**
 * Why a request gets an error response: the HTTP status, a snake_case reason (the metric tag) and a
 * message for the client's {@code google.rpc.Status}.
 */
final class RequestRejected extends Exception {
  private static final long serialVersionUID = 1L;

  static final String NOT_FOUND = "not_found";
  static final String METHOD_NOT_ALLOWED = "method_not_allowed";
  static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
  static final String UNSUPPORTED_ENCODING = "unsupported_encoding";
  static final String TOO_LARGE = "too_large";
  static final String MALFORMED_GZIP = "malformed_gzip";
  static final String THROTTLED = "throttled";
  static final String UNAVAILABLE = "unavailable";
  static final String SINK_ERROR = "sink_error";
  static final String DECODER_ERROR = "decoder_error";
  static final String READ_ERROR = "read_error";

  private final int status;
  private final String reason;

  RequestRejected(int status, String reason, String message) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
  }

  int status() {
    return status;
  }

  String reason() {
    return reason;
  }
}

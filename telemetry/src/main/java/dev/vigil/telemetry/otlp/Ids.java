package dev.vigil.telemetry.otlp;

import com.google.protobuf.ByteString;

/** Hex rendering and validation of OTLP trace and span ids. */
final class Ids {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Ids() {}

  static String traceId(ByteString id) throws OtlpDecodeException {
    if (id.size() != 16 || isAllZero(id)) {
      throw new OtlpDecodeException(
          OtlpDecodeException.INVALID_TRACE_ID,
          "trace id must be 16 bytes (32 hex digits in OTLP/JSON) and not all zero, got "
              + id.size()
              + " bytes");
    }
    return hex(id);
  }

  static String spanId(ByteString id) throws OtlpDecodeException {
    if (id.size() != 8 || isAllZero(id)) {
      throw new OtlpDecodeException(
          OtlpDecodeException.INVALID_SPAN_ID,
          "span id must be 8 bytes (16 hex digits in OTLP/JSON) and not all zero, got "
              + id.size()
              + " bytes");
    }
    return hex(id);
  }

  /** A parent span id, a log's or an exemplar's optional id: empty is allowed. */
  static String optionalSpanId(ByteString id) throws OtlpDecodeException {
    return id.isEmpty() ? "" : spanId(id);
  }

  static String optionalTraceId(ByteString id) throws OtlpDecodeException {
    return id.isEmpty() ? "" : traceId(id);
  }

  static String hex(ByteString id) {
    char[] out = new char[id.size() * 2];
    for (int i = 0; i < id.size(); i++) {
      int b = id.byteAt(i) & 0xff;
      out[2 * i] = HEX[b >>> 4];
      out[2 * i + 1] = HEX[b & 0xf];
    }
    return new String(out);
  }

  private static boolean isAllZero(ByteString id) {
    for (int i = 0; i < id.size(); i++) {
      if (id.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }
}

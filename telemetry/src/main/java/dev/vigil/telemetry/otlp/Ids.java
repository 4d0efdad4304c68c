package dev.vigil.telemetry.otlp;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;

/**
 * Hex rendering and validation of OTLP trace and span ids, from a parsed {@link ByteString} or from
 * a range of the raw payload (the streaming decoder); both give the same ids and errors.
 */
final class Ids {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private Ids() {}

  static String traceId(ByteString id) throws OtlpDecodeException {
    if (id.size() != 16 || isAllZero(id)) {
      throw invalidTraceId(id.size());
    }
    return hex(id);
  }

  static String spanId(ByteString id) throws OtlpDecodeException {
    if (id.size() != 8 || isAllZero(id)) {
      throw invalidSpanId(id.size());
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

  /** A trace id held in {@code buf[offset, offset + length)}. */
  static String traceId(byte[] buf, int offset, int length) throws OtlpDecodeException {
    return traceId(buf, offset, length, new byte[32]);
  }

  /** {@link #traceId(byte[], int, int)}, rendering in {@code scratch} (32 bytes or more). */
  static String traceId(byte[] buf, int offset, int length, byte[] scratch)
      throws OtlpDecodeException {
    if (length != 16 || isAllZero(buf, offset, length)) {
      throw invalidTraceId(length);
    }
    return hex(buf, offset, length, scratch);
  }

  /** A span id held in {@code buf[offset, offset + length)}. */
  static String spanId(byte[] buf, int offset, int length) throws OtlpDecodeException {
    return spanId(buf, offset, length, new byte[16]);
  }

  /** {@link #spanId(byte[], int, int)}, rendering in {@code scratch} (16 bytes or more). */
  static String spanId(byte[] buf, int offset, int length, byte[] scratch)
      throws OtlpDecodeException {
    if (length != 8 || isAllZero(buf, offset, length)) {
      throw invalidSpanId(length);
    }
    return hex(buf, offset, length, scratch);
  }

  static String hex(ByteString id) {
    byte[] out = new byte[id.size() * 2];
    for (int i = 0; i < id.size(); i++) {
      int b = id.byteAt(i) & 0xff;
      out[2 * i] = HEX[b >>> 4];
      out[2 * i + 1] = HEX[b & 0xf];
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /**
   * The hex of {@code buf[offset, offset + length)}, rendered in {@code scratch} (at least twice
   * {@code length}) and copied into the string.
   */
  private static String hex(byte[] buf, int offset, int length, byte[] scratch) {
    byte[] out = scratch;
    for (int i = 0; i < length; i++) {
      int b = buf[offset + i] & 0xff;
      out[2 * i] = HEX[b >>> 4];
      out[2 * i + 1] = HEX[b & 0xf];
    }
    return new String(out, 0, 2 * length, StandardCharsets.ISO_8859_1);
  }

  private static OtlpDecodeException invalidTraceId(int size) {
    return new OtlpDecodeException(
        OtlpDecodeException.INVALID_TRACE_ID,
        "trace id must be 16 bytes (32 hex digits in OTLP/JSON) and not all zero, got "
            + size
            + " bytes");
  }

  private static OtlpDecodeException invalidSpanId(int size) {
    return new OtlpDecodeException(
        OtlpDecodeException.INVALID_SPAN_ID,
        "span id must be 8 bytes (16 hex digits in OTLP/JSON) and not all zero, got "
            + size
            + " bytes");
  }

  private static boolean isAllZero(ByteString id) {
    for (int i = 0; i < id.size(); i++) {
      if (id.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAllZero(byte[] buf, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (buf[i] != 0) {
        return false;
      }
    }
    return true;
  }
}

package dev.vigil.telemetry.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Low-level reads for the streaming decoders: strings and byte ranges straight from the payload
 * array, nested messages as pushed limits, and the rule for what the streaming path does not model.
 * Every read goes through {@link CodedInputStream}, so framing errors (truncation, bad varints,
 * lengths past the end) are detected exactly where {@code parseFrom} detects them.
 */
final class ProtoWire {
  private ProtoWire() {}

  /**
   * Thrown when a message holds something the streaming path leaves to {@code parseFrom} (groups,
   * merged sub-messages, deep nesting, any malformed input). Carries no stack trace: it is control
   * flow, and rare.
   */
  static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;
    static final Unsupported INSTANCE = new Unsupported();

    private Unsupported() {
      super("left to parseFrom", null, false, false);
    }
  }

  static Unsupported unsupported() {
    return Unsupported.INSTANCE;
  }

  /** Reads a length prefix and limits the stream to the nested message; returns the old limit. */
  static int enter(CodedInputStream in) throws IOException {
    return in.pushLimit(in.readRawVarint32());
  }

  /** Leaves a nested message that was read up to its end (its last tag read was 0). */
  static void leave(CodedInputStream in, int oldLimit) {
    in.popLimit(oldLimit);
  }

  /**
   * Skips a field of a number the reader does not model, or a known number with an unexpected wire
   * type: {@code parseFrom} keeps such a field as an unknown field, which checks only its framing,
   * as {@link CodedInputStream#skipField} does. Groups are left to {@code parseFrom}.
   */
  static void skipUnknown(CodedInputStream in, int tag) throws IOException, Unsupported {
    int wireType = WireFormat.getTagWireType(tag);
    if (wireType == WireFormat.WIRETYPE_START_GROUP || wireType == WireFormat.WIRETYPE_END_GROUP) {
      throw unsupported();
    }
    in.skipField(tag);
  }

  /**
   * Reads a length-delimited field and returns its offset in {@code buf}; the stream is left after
   * it. {@code in} must read {@code buf} from offset 0.
   */
  static int bytes(CodedInputStream in, int length) throws IOException {
    int offset = in.getTotalBytesRead();
    in.skipRawBytes(length);
    return offset;
  }

  /**
   * Reads a proto3 string field (UTF-8 required, as {@code parseFrom} requires it); short ASCII
   * strings come from {@code strings}.
   */
  static String string(CodedInputStream in, byte[] buf, AsciiStrings strings)
      throws IOException, Unsupported {
    int length = in.readRawVarint32();
    int offset = bytes(in, length);
    String ascii = strings.ascii(buf, offset, length);
    if (ascii != null) {
      return ascii;
    }
    if (!UnsafeByteOperations.unsafeWrap(buf, offset, length).isValidUtf8()) {
      throw unsupported();
    }
    return new String(buf, offset, length, StandardCharsets.UTF_8);
  }

  /** Checks a proto3 string field that is not kept: it must still be valid UTF-8. */
  static void skipString(CodedInputStream in, byte[] buf) throws IOException, Unsupported {
    int length = in.readRawVarint32();
    int offset = bytes(in, length);
    if (!isAscii(buf, offset, length)
        && !UnsafeByteOperations.unsafeWrap(buf, offset, length).isValidUtf8()) {
      throw unsupported();
    }
  }

  private static boolean isAscii(byte[] buf, int offset, int length) {
    for (int i = offset, end = offset + length; i < end; i++) {
      if (buf[i] < 0) {
        return false;
      }
    }
    return true;
  }
}

package dev.vigil.telemetry.otlp;

/** The two OTLP encodings, as the Collector's kafka exporter names them. */
public enum OtlpEncoding {
  OTLP_PROTO,
  OTLP_JSON;

  /**
   * Detects the encoding of a message. A JSON object starts with '{' after optional white space; no
   * OTLP protobuf message can start with that byte, since it would be the deprecated start-group
   * wire type of field 15. But white space is not always white space: a protobuf {@code
   * TracesData}, {@code MetricsData} or {@code LogsData} starts with 0x0A (field 1, length-
   * delimited), which is also '\n', followed by the length; a first resource of 123 bytes makes it
   * "\n{". So a message that starts with 0x0A and is, as a whole, a sequence of well-formed field-1
   * frames is protobuf, whatever its second byte.
   */
  public static OtlpEncoding detect(byte[] payload) {
    if (payload.length > 0 && payload[0] == 0x0A && framedAsProtobuf(payload)) {
      return OTLP_PROTO;
    }
    for (byte b : payload) {
      if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
        continue;
      }
      return b == '{' ? OTLP_JSON : OTLP_PROTO;
    }
    return OTLP_PROTO;
  }

  /** Whether the payload is exactly a run of (0x0A, varint length, bytes) frames. */
  private static boolean framedAsProtobuf(byte[] payload) {
    int i = 0;
    while (i < payload.length) {
      if (payload[i++] != 0x0A) {
        return false;
      }
      long length = 0;
      int shift = 0;
      while (true) {
        if (i >= payload.length || shift > 35) {
          return false;
        }
        byte b = payload[i++];
        length |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          break;
        }
        shift += 7;
      }
      if (length > payload.length - i) {
        return false;
      }
      i += (int) length;
    }
    return true;
  }
}

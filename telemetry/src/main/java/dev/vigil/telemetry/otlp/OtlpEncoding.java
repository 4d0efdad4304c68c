package dev.vigil.telemetry.otlp;

/** The two OTLP encodings, as the Collector's kafka exporter names them. */
public enum OtlpEncoding {
  OTLP_PROTO,
  OTLP_JSON;

  /**
   * Detects the encoding of a message. A JSON object starts with '{' after optional white space; no
   * OTLP protobuf message can start with that byte, since it would be the deprecated start-group
   * wire type of field 15.
   */
  public static OtlpEncoding detect(byte[] payload) {
    for (byte b : payload) {
      if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
        continue;
      }
      return b == '{' ? OTLP_JSON : OTLP_PROTO;
    }
    return OTLP_PROTO;
  }
}

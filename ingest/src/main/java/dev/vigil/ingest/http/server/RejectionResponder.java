package dev.vigil.ingest.http.server;

import java.nio.charset.StandardCharsets;

/**
 * Words the body of a response the listener gives itself (see {@link Rejection}), so that each
 * protocol answers in its own format: the OTLP receiver with a {@code google.rpc.Status}, the API
 * with JSON. Called on the listener's I/O threads: it must be quick and must not block.
 */
@FunctionalInterface
public interface RejectionResponder {
  /** The body for a rejection; the listener adds the status and headers. */
  Body respond(Rejection rejection);

  /**
   * A response body.
   *
   * @param contentType its media type
   * @param bytes its bytes
   */
  record Body(String contentType, byte[] bytes) {}

  /** {@code {"error": message, "reason": reason}}. */
  static RejectionResponder json() {
    return r ->
        new Body(
            "application/json; charset=utf-8",
            ("{\"error\":" + quote(r.message()) + ",\"reason\":" + quote(r.reason()) + "}")
                .getBytes(StandardCharsets.UTF_8));
  }

  private static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}

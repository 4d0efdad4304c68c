package dev.vigil.service.http;

import com.sun.net.httpserver.HttpExchange;
import dev.vigil.service.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** How the API's own routes answer: JSON bodies, and a method check per route. */
final class Responses {
  private Responses() {}

  /**
   * Answers 405 with {@code Allow} unless the request uses one of {@code methods} (HEAD counts as
   * GET).
   *
   * @return whether the method is allowed (when false, the exchange was answered)
   */
  static boolean allow(HttpExchange ex, String... methods) throws IOException {
    String method = ex.getRequestMethod();
    for (String m : methods) {
      if (m.equals(method) || (m.equals("GET") && method.equals("HEAD"))) {
        return true;
      }
    }
    String allowed = String.join(", ", methods);
    ex.getResponseHeaders().set("Allow", allowed);
    json(ex, 405, Map.of("error", method + " is not allowed here; use " + allowed));
    return false;
  }

  static void json(HttpExchange ex, int status, Object body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    send(ex, status, Json.write(body).getBytes(StandardCharsets.UTF_8));
  }

  static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}

package dev.vigil.service.http;

import com.sun.net.httpserver.HttpExchange;
import dev.vigil.service.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writing a response of the UI and ask handlers; a client that went away is not an error. */
final class HttpResponses {
  private static final Logger log = LoggerFactory.getLogger(HttpResponses.class);

  private HttpResponses() {}

  static void json(HttpExchange ex, int status, Object body) {
    send(
        ex,
        status,
        "application/json; charset=utf-8",
        Json.write(body).getBytes(StandardCharsets.UTF_8));
  }

  static void error(HttpExchange ex, int status, String message) {
    json(ex, status, Map.of("error", message));
  }

  static void send(HttpExchange ex, int status, String contentType, byte[] body) {
    try (ex) {
      ex.getResponseHeaders().set("Content-Type", contentType);
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (IOException e) {
      log.debug("client went away", e);
    }
  }
}

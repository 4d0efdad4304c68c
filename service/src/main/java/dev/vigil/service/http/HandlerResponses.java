package dev.vigil.service.http;

import com.sun.net.httpserver.HttpExchange;
import dev.vigil.service.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JSON responses and query parsing shared by the route handlers. */
final class HandlerResponses {
  private static final Logger log = LoggerFactory.getLogger(HandlerResponses.class);
  static final int MAX_BODY_BYTES = 64 * 1024;

  private HandlerResponses() {}

  static void json(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
    try (ex) {
      ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      ex.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      log.debug("client went away", e);
    }
  }

  static void error(HttpExchange ex, int status, String message) throws IOException {
    json(ex, status, Map.of("error", message));
  }

  static void methodNotAllowed(HttpExchange ex, String allowed) throws IOException {
    ex.getResponseHeaders().set("Allow", allowed);
    error(ex, 405, ex.getRequestMethod() + " is not supported here; use " + allowed);
  }

  /** The request body, or null when it is larger than {@value #MAX_BODY_BYTES} bytes. */
  static byte[] body(HttpExchange ex) throws IOException {
    byte[] bytes = ex.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
    return bytes.length > MAX_BODY_BYTES ? null : bytes;
  }

  static Map<String, String> query(HttpExchange ex) {
    String raw = ex.getRequestURI().getRawQuery();
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  /** The path below a context, without leading or trailing slashes: "" for the context itself. */
  static String rest(HttpExchange ex) {
    String path = ex.getRequestURI().getPath();
    String context = ex.getHttpContext().getPath();
    String rest = path.length() > context.length() ? path.substring(context.length()) : "";
    while (rest.startsWith("/")) {
      rest = rest.substring(1);
    }
    while (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    return rest;
  }
}

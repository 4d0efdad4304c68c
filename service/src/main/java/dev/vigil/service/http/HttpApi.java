package dev.vigil.service.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.nlq.Answer;
import dev.vigil.nlq.DiagnosticAnswerer;
import dev.vigil.service.Json;
import dev.vigil.service.pipeline.VigilPipeline;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API, on the JDK's built-in server (no framework needed for four read-only routes):
 * {@code GET /api/ask?q=}, {@code GET /api/incidents}, {@code GET /api/topology}, {@code GET
 * /health} and {@code GET /metrics} (Prometheus text format).
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  private final HttpServer server;
  private final VigilPipeline pipeline;
  private final DiagnosticAnswerer answerer;
  private final PrometheusMeterRegistry registry;

  public HttpApi(
      InetSocketAddress address,
      VigilPipeline pipeline,
      DiagnosticAnswerer answerer,
      PrometheusMeterRegistry registry)
      throws IOException {
    this.pipeline = pipeline;
    this.answerer = answerer;
    this.registry = registry;
    this.server = HttpServer.create(address, 0);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> daemon(r)));
    server.createContext("/api/ask", this::ask);
    server.createContext("/api/incidents", ex -> json(ex, 200, pipeline.incidents()));
    server.createContext("/api/topology", this::topology);
    server.createContext("/health", ex -> json(ex, 200, Map.of("status", "UP")));
    server.createContext("/metrics", this::metrics);
    server.start();
  }

  /** Serves another route, e.g. {@code /api/models} ({@link ModelsHandler}). */
  public void route(String path, com.sun.net.httpserver.HttpHandler handler) {
    server.createContext(path, handler);
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void ask(HttpExchange ex) throws IOException {
    String q = query(ex.getRequestURI().getRawQuery()).get("q");
    if (q == null || q.isBlank()) {
      json(
          ex,
          400,
          Map.of("error", "missing query parameter q, e.g. /api/ask?q=why+is+checkout+slow"));
      return;
    }
    Answer answer = answerer.answer(q, pipeline.diagnosticContext());
    json(ex, 200, answer);
  }

  private void topology(HttpExchange ex) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("services", pipeline.graph().services());
    body.put("edges", pipeline.graph().edges());
    json(ex, 200, body);
  }

  private void metrics(HttpExchange ex) throws IOException {
    byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    send(ex, 200, body);
  }

  static void json(HttpExchange ex, int status, Object body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    send(ex, status, Json.write(body).getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("GET")) {
        byte[] msg = "{\"error\":\"only GET is supported\"}".getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(405, msg.length);
        ex.getResponseBody().write(msg);
        return;
      }
      ex.sendResponseHeaders(status, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    } catch (IOException e) {
      log.debug("client went away", e);
    }
  }

  static Map<String, String> query(String raw) {
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

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "vigil-http");
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

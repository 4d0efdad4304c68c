package dev.vigil.service.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.service.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A local HTTP server standing in for a receiver (Alertmanager, a webhook, Slack): it validates
 * every body it gets, answers with the scripted statuses (then 200), and keeps what it accepted and
 * every violation it found.
 */
final class ReceiverServer implements AutoCloseable {
  final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
  final List<String> violations = new CopyOnWriteArrayList<>();
  final AtomicInteger requests = new AtomicInteger();
  private final HttpServer server;
  private final List<Integer> script;

  ReceiverServer(String path, Function<JsonNode, List<String>> validator, Integer... statuses)
      throws IOException {
    this.script = new ArrayList<>(List.of(statuses));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        path,
        ex -> {
          try (ex) {
            int n = requests.getAndIncrement();
            List<String> found = new ArrayList<>();
            if (!ex.getRequestMethod().equals("POST")) {
              found.add("method " + ex.getRequestMethod());
            }
            if (!ex.getRequestURI().getPath().equals(path)) {
              found.add("path " + ex.getRequestURI().getPath());
            }
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            if (type == null || !type.startsWith("application/json")) {
              found.add("content type " + type);
            }
            JsonNode body = null;
            try {
              body = Json.MAPPER.readTree(ex.getRequestBody().readAllBytes());
              found.addAll(validator.apply(body));
            } catch (IOException e) {
              found.add("not JSON: " + e.getMessage());
            }
            int status = n < script.size() ? script.get(n) : 200;
            if (!found.isEmpty()) {
              violations.addAll(found);
              status = 400;
            } else if (status == 200) {
              accepted.add(body);
            }
            byte[] answer = (status == 200 ? "ok" : "error").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, answer.length);
            ex.getResponseBody().write(answer);
          }
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Waits until an accepted body satisfies the condition; false at the deadline. */
  boolean awaitAccepted(Predicate<JsonNode> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (accepted.stream().anyMatch(condition) || !violations.isEmpty()) {
        return accepted.stream().anyMatch(condition);
      }
      Thread.sleep(20);
    }
    return false;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

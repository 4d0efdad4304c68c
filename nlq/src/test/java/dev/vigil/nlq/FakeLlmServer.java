package dev.vigil.nlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local HTTP server speaking just enough of the OpenAI chat-completions or the Anthropic messages
 * protocol to stand in for the provider: it records each request and answers with the reply it was
 * given, an HTTP error, or nothing until it is closed.
 */
final class FakeLlmServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  enum Protocol {
    OPENAI,
    ANTHROPIC
  }

  /** One request as received; {@link #text()} is every string in its JSON body. */
  record Request(String method, String path, com.sun.net.httpserver.Headers headers, String body) {
    String text() {
      StringBuilder sb = new StringBuilder();
      try {
        strings(JSON.readTree(body), sb);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return sb.toString();
    }

    private static void strings(JsonNode node, StringBuilder sb) {
      if (node.isTextual()) {
        sb.append(node.asText()).append('\n');
      }
      node.forEach(child -> strings(child, sb));
    }
  }

  private final Protocol protocol;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile String reply = "";
  private final java.util.Queue<String> script = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private volatile int status = 200;
  private volatile boolean hang;

  FakeLlmServer(Protocol protocol) throws IOException {
    this.protocol = protocol;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL to give the client, as for the real API: {@code http://127.0.0.1:<port>/v1}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  FakeLlmServer reply(String text) {
    this.reply = text;
    return this;
  }

  /**
   * Replies given in turn (OpenAI protocol), then {@link #reply}: an entry {@code tool:NAME:ARGS}
   * is a call of tool NAME with the JSON ARGS, anything else a text reply.
   */
  FakeLlmServer script(String... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  FakeLlmServer failWith(int status) {
    this.status = status;
    return this;
  }

  /** Accept requests but answer none of them until closed. */
  FakeLlmServer hang() {
    this.hang = true;
    return this;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(
          new Request(
              ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestHeaders(), body));
      if (hang) {
        closed.await(30, TimeUnit.SECONDS);
        return;
      }
      byte[] out =
          (status == 200 ? response(JSON.readTree(body)) : error())
              .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(status, out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client gave up (a timeout test); nothing to answer
    }
  }

  private String response(JsonNode request) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    String model = request.path("model").asText("test-model");
    if (protocol == Protocol.OPENAI) {
      root.put("id", "chatcmpl-test");
      root.put("object", "chat.completion");
      root.put("created", 1_764_000_000L);
      root.put("model", model);
      ObjectNode choice = root.putArray("choices").addObject();
      choice.put("index", 0);
      ObjectNode message = choice.putObject("message");
      message.put("role", "assistant");
      String next = script.poll();
      String text = next != null ? next : reply;
      if (text.startsWith("tool:")) {
        String[] parts = text.split(":", 3);
        message.putNull("content");
        ObjectNode call = message.putArray("tool_calls").addObject();
        call.put("id", "call_" + requests.size());
        call.put("type", "function");
        call.putObject("function").put("name", parts[1]).put("arguments", parts[2]);
        choice.put("finish_reason", "tool_calls");
      } else {
        message.put("content", text);
        choice.put("finish_reason", "stop");
      }
      ObjectNode usage = root.putObject("usage");
      usage.put("prompt_tokens", 100);
      usage.put("completion_tokens", 20);
      usage.put("total_tokens", 120);
    } else {
      root.put("id", "msg_test");
      root.put("type", "message");
      root.put("role", "assistant");
      ArrayNode content = root.putArray("content");
      ObjectNode text = content.addObject();
      text.put("type", "text");
      text.put("text", reply);
      root.put("model", model);
      root.put("stop_reason", "end_turn");
      root.putNull("stop_sequence");
      ObjectNode usage = root.putObject("usage");
      usage.put("input_tokens", 100);
      usage.put("output_tokens", 20);
    }
    return JSON.writeValueAsString(root);
  }

  private String error() {
    return protocol == Protocol.OPENAI
        ? "{\"error\":{\"message\":\"the model is overloaded\",\"type\":\"server_error\"}}"
        : "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"overloaded\"}}";
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}

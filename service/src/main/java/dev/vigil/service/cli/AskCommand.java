package dev.vigil.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.service.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** {@code vigil ask "question"}: asks a running Vigil's HTTP API and prints the answer. */
public final class AskCommand {
  public static final String DEFAULT_URL = "http://127.0.0.1:8080";

  private AskCommand() {}

  public static int run(List<String> argv)
      throws UsageException, IOException, InterruptedException {
    Args args = Args.parse("ask", argv, Set.of("json"), Set.of("url"));
    if (args.positional().isEmpty()) {
      throw new UsageException("ask needs a question, e.g. vigil ask \"why is checkout slow?\"");
    }
    String question = String.join(" ", args.positional());
    String base = args.value("url").orElse(DEFAULT_URL);
    URI uri;
    try {
      uri = URI.create(base + "/api/ask?q=" + URLEncoder.encode(question, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--url is not a valid URL: " + base);
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> response;
    try {
      response =
          client.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      System.err.println(
          "vigil: no Vigil is answering at "
              + base
              + "; start one with './vigil demo' or pass --url");
      return 1;
    }
    if (args.flag("json")) {
      System.out.println(response.body());
      return response.statusCode() == 200 ? 0 : 1;
    }
    JsonNode body = Json.MAPPER.readTree(response.body());
    if (response.statusCode() != 200) {
      System.err.println("vigil: " + body.path("error").asText(response.body()));
      return 1;
    }
    System.out.println(body.path("text").asText());
    if ("llm".equals(body.path("source").asText())) {
      // On stderr, so that the answer alone can still be piped.
      System.err.println("vigil: worded by the language model, checked against the evidence");
    }
    return 0;
  }
}

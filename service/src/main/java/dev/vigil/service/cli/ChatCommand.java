package dev.vigil.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.service.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code vigil chat [--url U]}: a conversation with a running Vigil in the terminal. Each line is a
 * question sent to {@code POST /api/ask} with the conversation's id, so follow-ups ("and
 * yesterday?", "what about its callers?") keep their context. An empty line, {@code exit} or end of
 * input ends it.
 */
public final class ChatCommand {
  private ChatCommand() {}

  public static int run(List<String> argv)
      throws UsageException, IOException, InterruptedException {
    Args args = Args.parse("chat", argv, Set.of(), Set.of("url"));
    if (!args.positional().isEmpty()) {
      throw new UsageException("chat takes no arguments; type the questions after it starts");
    }
    return chat(
        args.value("url").orElse(AskCommand.DEFAULT_URL), System.in, System.out, System.err);
  }

  static int chat(String base, InputStream in, PrintStream out, PrintStream err)
      throws UsageException, IOException, InterruptedException {
    URI uri;
    try {
      uri = URI.create(base + "/api/ask");
    } catch (IllegalArgumentException e) {
      throw new UsageException("--url is not a valid URL: " + base);
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String conversation = null;
    err.println("vigil chat: ask about your services (English or 中文); an empty line ends.");
    while (true) {
      err.print("> ");
      err.flush();
      String line = reader.readLine();
      if (line == null || line.isBlank() || line.strip().equals("exit")) {
        return 0;
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("question", line.strip());
      if (conversation != null) {
        body.put("conversation", conversation);
      }
      HttpResponse<String> response;
      try {
        response =
            client.send(
                HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                    .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (ConnectException e) {
        err.println(
            "vigil: no Vigil is answering at "
                + base
                + "; start one with './vigil demo' or pass --url");
        return 1;
      }
      JsonNode json = Json.MAPPER.readTree(response.body());
      if (response.statusCode() != 200) {
        err.println("vigil: " + json.path("error").asText(response.body()));
        continue;
      }
      conversation = json.path("conversation").asText(null);
      out.println(json.path("text").asText());
      out.flush();
    }
  }
}

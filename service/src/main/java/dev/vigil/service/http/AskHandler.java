package dev.vigil.service.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.nlq.Answer;
import dev.vigil.nlq.Conversations;
import dev.vigil.service.Json;
import dev.vigil.service.pipeline.PipelineLiveState;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/ask}: a question, answered from the live state. {@code POST} with a JSON body {@code
 * {"question": "...", "conversation": "<id>"}} (the id optional: without one a new conversation is
 * started and its id returned, to send with follow-ups such as "and yesterday?"); or {@code GET
 * ?q=...&conversation=...}. The reply is the {@link Answer} with a {@code conversation} field.
 */
public final class AskHandler implements HttpHandler {

  /** The longest question accepted, in characters. */
  public static final int MAX_QUESTION = 1000;

  /** The largest request body accepted, in bytes. */
  static final int MAX_BODY = 16 * 1024;

  private final PipelineLiveState state;
  private final Conversations conversations;

  public AskHandler(PipelineLiveState state, Conversations conversations) {
    this.state = state;
    this.conversations = conversations;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    String question;
    String conversation;
    switch (ex.getRequestMethod()) {
      case "GET" -> {
        Map<String, String> q = HttpApi.query(ex.getRequestURI().getRawQuery());
        question = q.get("q");
        conversation = q.get("conversation");
      }
      case "POST" -> {
        byte[] body = ex.getRequestBody().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
          HttpResponses.error(ex, 413, "the request body is larger than " + MAX_BODY + " bytes");
          return;
        }
        JsonNode json;
        try {
          json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
          HttpResponses.error(
              ex, 400, "the body is not JSON; send {\"question\": \"why is checkout slow?\"}");
          return;
        }
        if (json == null || !json.isObject()) {
          HttpResponses.error(
              ex, 400, "send a JSON object: {\"question\": \"...\", \"conversation\": \"...\"}");
          return;
        }
        question = json.path("question").isTextual() ? json.get("question").asText() : null;
        conversation =
            json.path("conversation").isTextual() ? json.get("conversation").asText() : null;
      }
      default -> {
        ex.getResponseHeaders().set("Allow", "GET, POST");
        HttpResponses.error(ex, 405, "use GET ?q=... or POST {\"question\": ...}");
        return;
      }
    }
    if (question == null || question.isBlank()) {
      HttpResponses.error(
          ex,
          400,
          "missing question: POST {\"question\": \"why is checkout slow?\"} or GET /api/ask?q=...");
      return;
    }
    if (question.length() > MAX_QUESTION) {
      HttpResponses.error(ex, 400, "the question is longer than " + MAX_QUESTION + " characters");
      return;
    }
    if (conversation != null && conversation.length() > 100) {
      HttpResponses.error(ex, 400, "the conversation id is longer than 100 characters");
      return;
    }
    if (conversation == null || conversation.isBlank()) {
      conversation = Conversations.newId();
    }
    Answer a = conversations.ask(conversation, question, state.snapshot());
    Map<String, Object> out = new LinkedHashMap<>(Json.MAPPER.convertValue(a, Map.class));
    out.put("conversation", conversation);
    HttpResponses.json(ex, 200, out);
  }
}

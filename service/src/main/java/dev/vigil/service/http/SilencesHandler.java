package dev.vigil.service.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.service.Json;
import dev.vigil.service.alerting.Matcher;
import dev.vigil.service.alerting.Silence;
import dev.vigil.service.alerting.SilenceRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Silences, in the shape of Alertmanager's API v2: {@code GET /api/silences} lists them with their
 * state; {@code POST /api/silences} takes a postable silence ({@code matchers} with {@code name},
 * {@code value}, {@code isRegex}, {@code isEqual}; {@code startsAt}, default now; {@code endsAt},
 * or instead {@code duration} such as {@code 30m}; {@code createdBy}; {@code comment}) and answers
 * {@code {"silenceID": ...}}; {@code GET /api/silences/<id>}; {@code DELETE /api/silences/<id>}
 * expires it. "Now" is the pipeline's event time, the clock silences are matched on.
 */
public final class SilencesHandler implements HttpHandler {
  private final SilenceRegistry silences;
  private final Supplier<Instant> now;

  /**
   * @param silences where silences live
   * @param now the current event time
   */
  public SilencesHandler(SilenceRegistry silences, Supplier<Instant> now) {
    this.silences = silences;
    this.now = now;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    String id = HandlerResponses.rest(ex);
    switch (ex.getRequestMethod()) {
      case "GET" -> {
        if (id.isEmpty()) {
          Instant at = now.get();
          HandlerResponses.json(ex, 200, silences.all().stream().map(s -> view(s, at)).toList());
        } else {
          Optional<Silence> s = silences.get(id);
          if (s.isPresent()) {
            HandlerResponses.json(ex, 200, view(s.get(), now.get()));
          } else {
            HandlerResponses.error(ex, 404, "no silence " + id);
          }
        }
      }
      case "POST" -> {
        if (!id.isEmpty()) {
          HandlerResponses.error(ex, 404, "POST to /api/silences, not to a silence");
          return;
        }
        post(ex);
      }
      case "DELETE" -> {
        if (id.isEmpty()) {
          HandlerResponses.error(ex, 400, "DELETE /api/silences/<id>: which silence?");
          return;
        }
        Optional<Silence> s = silences.expire(id, now.get());
        if (s.isPresent()) {
          HandlerResponses.json(ex, 200, view(s.get(), now.get()));
        } else {
          HandlerResponses.error(ex, 404, "no silence " + id);
        }
      }
      default -> HandlerResponses.methodNotAllowed(ex, "GET, POST, DELETE");
    }
  }

  private void post(HttpExchange ex) throws IOException {
    byte[] body = HandlerResponses.body(ex);
    if (body == null) {
      HandlerResponses.error(ex, 413, "a silence is at most 64 KiB");
      return;
    }
    Silence s;
    try {
      JsonNode json = Json.MAPPER.readTree(body);
      if (json == null || !json.isObject()) {
        throw new IllegalArgumentException("expected a JSON object");
      }
      Instant at = now.get();
      Instant startsAt = json.hasNonNull("startsAt") ? instant(json, "startsAt") : at;
      Instant endsAt;
      if (json.hasNonNull("endsAt")) {
        endsAt = instant(json, "endsAt");
      } else if (json.hasNonNull("duration")) {
        endsAt = startsAt.plus(duration(json.get("duration").asText()));
      } else {
        throw new IllegalArgumentException("give endsAt (RFC 3339) or duration (e.g. 30m, 2h)");
      }
      s =
          silences.add(
              matchers(json.get("matchers")),
              startsAt,
              endsAt,
              json.path("createdBy").asText(""),
              json.path("comment").asText(""));
    } catch (IOException | IllegalArgumentException e) {
      HandlerResponses.error(ex, 400, "bad silence: " + e.getMessage());
      return;
    }
    HandlerResponses.json(ex, 200, Map.of("silenceID", s.id()));
  }

  private static List<Matcher> matchers(JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw new IllegalArgumentException(
          "matchers must be a non-empty array of {name, value, isRegex, isEqual}");
    }
    List<Matcher> out = new ArrayList<>();
    for (JsonNode m : node) {
      if (!m.hasNonNull("name") || !m.hasNonNull("value")) {
        throw new IllegalArgumentException("every matcher needs a name and a value: " + m);
      }
      out.add(
          new Matcher(
              m.get("name").asText(),
              m.get("value").asText(),
              m.path("isRegex").asBoolean(false),
              m.path("isEqual").asBoolean(true)));
    }
    return out;
  }

  private static Instant instant(JsonNode json, String field) {
    try {
      return Instant.parse(json.get(field).asText());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          field + " must be an RFC 3339 time such as 2026-01-01T12:00:00Z", e);
    }
  }

  static Duration duration(String text) {
    String t = text.trim();
    try {
      if (t.startsWith("P") || t.startsWith("p")) {
        return positive(Duration.parse(t), text);
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return positive(
          switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("unit");
          },
          text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "duration must be like 90s, 30m, 2h, 1d or PT30M, got '" + text + "'", e);
    }
  }

  private static Duration positive(Duration d, String text) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("duration must be positive, got '" + text + "'");
    }
    return d;
  }

  private static Map<String, Object> view(Silence s, Instant at) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", s.id());
    out.put("status", Map.of("state", s.state(at)));
    out.put("matchers", s.matchers());
    out.put("startsAt", s.startsAt());
    out.put("endsAt", s.endsAt());
    out.put("createdBy", s.createdBy());
    out.put("comment", s.comment());
    return out;
  }
}

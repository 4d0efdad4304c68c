package dev.vigil.nlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.vigil.rca.Incident;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link TelemetryTools} as tools a language model can call: their specifications, and their
 * execution from the model's JSON arguments into fact lines (the same lines the offline planner's
 * answers rest on). Arguments are checked: an unknown service or a bad number is an error the model
 * is told about, never a guess.
 */
final class LlmTools {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The longest range a tool call may ask about. */
  static final long MAX_MINUTES = 7 * 24 * 60;

  private final TelemetryTools tools;

  LlmTools(LiveState state) {
    this.tools = new TelemetryTools(state);
  }

  static List<ToolSpecification> specifications() {
    return List.of(
        spec(
            "service_stats",
            "Requests, errors, error rate and p95 latency of one service over the last N minutes.",
            schema()
                .addStringProperty("service")
                .addIntegerProperty("minutes")
                .required("service", "minutes")),
        spec(
            "traces",
            "The slowest (or failed) exemplar traces of a service over the last N minutes, with durations.",
            schema()
                .addStringProperty("service")
                .addIntegerProperty("minutes")
                .addBooleanProperty("failed")
                .required("service", "minutes")),
        spec(
            "incidents",
            "Incidents overlapping the last N minutes with their ranked causes and evidence;"
                + " optionally only those involving a service.",
            schema()
                .addStringProperty("service")
                .addIntegerProperty("minutes")
                .required("minutes")),
        spec(
            "neighbours",
            "The callers and callees of a service with their calls over the last N minutes.",
            schema()
                .addStringProperty("service")
                .addIntegerProperty("minutes")
                .required("service", "minutes")),
        spec(
            "alerts",
            "Alerts of the last N minutes, optionally of one service.",
            schema()
                .addStringProperty("service")
                .addIntegerProperty("minutes")
                .required("minutes")),
        spec(
            "compare",
            "A service's numbers over the last N minutes next to the same span of time offset_minutes earlier.",
            schema()
                .addStringProperty("service")
                .addIntegerProperty("minutes")
                .addIntegerProperty("offset_minutes")
                .required("service", "minutes", "offset_minutes")));
  }

  private static JsonObjectSchema.Builder schema() {
    return JsonObjectSchema.builder();
  }

  private static ToolSpecification spec(
      String name, String description, JsonObjectSchema.Builder p) {
    return ToolSpecification.builder()
        .name(name)
        .description(description)
        .parameters(p.build())
        .build();
  }

  /** Executes one call; the result is fact lines, or a line starting with "error:". */
  List<String> execute(ToolExecutionRequest call) {
    try {
      JsonNode args = JSON.readTree(call.arguments() == null ? "{}" : call.arguments());
      Instant now = tools.state().now();
      long minutes = args.path("minutes").asLong(60);
      if (minutes < 1 || minutes > MAX_MINUTES) {
        return List.of("error: minutes must be between 1 and " + MAX_MINUTES + ", got " + minutes);
      }
      TimeRange range =
          new TimeRange(
              now.minus(Duration.ofMinutes(minutes)), now, "last " + minutes + " minutes");
      String service = args.path("service").isTextual() ? args.get("service").asText() : null;
      if (service != null && !tools.state().services().contains(service)) {
        return List.of(
            "error: unknown service "
                + service
                + "; known services are "
                + String.join(", ", tools.services()));
      }
      List<String> out = new ArrayList<>();
      switch (call.name()) {
        case "service_stats" -> out.add(tools.stats(need(service), range).fact());
        case "traces" ->
            tools
                .traces(need(service), range, args.path("failed").asBoolean(false), 5)
                .forEach(t -> out.add(t.fact()));
        case "incidents" -> {
          for (Incident i : tools.incidents(range, service)) {
            out.add(IncidentSentences.incidentFact(i));
            if (!i.rootCauses().isEmpty()) {
              i.rootCauses().get(0).evidence().stream()
                  .limit(OfflinePlanner.MAX_EVIDENCE)
                  .forEach(
                      e ->
                          out.add(
                              "evidence for " + i.rootCauses().get(0).service() + ": " + e.text()));
            }
          }
        }
        case "neighbours" -> {
          ToolResults.Neighbours n = tools.neighbours(need(service), range);
          n.callers().forEach(e -> out.add(e.fact()));
          n.callees().forEach(e -> out.add(e.fact()));
        }
        case "alerts" -> tools.alerts(range, service).forEach(a -> out.add(a.fact()));
        case "compare" -> {
          long offset = args.path("offset_minutes").asLong(60);
          if (offset < 1 || offset > MAX_MINUTES) {
            return List.of("error: offset_minutes must be between 1 and " + MAX_MINUTES);
          }
          ToolResults.Comparison c =
              tools.compare(
                  need(service),
                  range,
                  range.shiftedBack(Duration.ofMinutes(offset), offset + " minutes earlier"));
          out.add(c.current().fact());
          out.add(c.baseline().fact());
        }
        default -> out.add("error: no tool " + call.name());
      }
      if (out.isEmpty()) {
        out.add(call.name() + ": nothing found.");
      }
      return out;
    } catch (IOException e) {
      return List.of("error: the arguments are not JSON");
    } catch (IllegalArgumentException e) {
      return List.of("error: " + e.getMessage());
    }
  }

  private static String need(String service) {
    if (service == null) {
      throw new IllegalArgumentException("this tool needs a service");
    }
    return service;
  }
}

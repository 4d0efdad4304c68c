package dev.vigil.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.features.WindowFeatures;
import dev.vigil.models.Anomaly;
import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import dev.vigil.rca.TimeOrderedIds;
import dev.vigil.service.Json;
import dev.vigil.service.alerting.AlertLifecycle;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The alert, incident and silence routes on the JDK's HTTP server, through a real client. */
@Tag("integration")
class AlertsAndSilencesHandlerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final AlertLifecycle lifecycle =
      AlertLifecycle.builder().ids(TimeOrderedIds.seeded(3)).build();
  private final HttpClient client = HttpClient.newHttpClient();
  private final Incident incident =
      new Incident(
          "inc-01TEST",
          Incident.OPEN,
          T0,
          T0.plusSeconds(20),
          null,
          List.of("payment", "checkout"),
          List.of(new RootCause("payment", 1, true, List.of("payment", "checkout"), List.of())),
          List.of());
  private Instant now = T0;
  private HttpServer server;
  private String base;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AlertsHandler alerts =
        new AlertsHandler(
            lifecycle::alerts,
            id -> id.equals(incident.id()) ? Optional.of(incident) : Optional.empty());
    server.createContext("/api/alerts", alerts);
    server.createContext("/api/incidents/", alerts);
    server.createContext("/api/silences", new SilencesHandler(lifecycle.silences(), () -> now));
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body);
    return client.send(
        HttpRequest.newBuilder(URI.create(base + path)).method(method, publisher).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void window(int i, String... anomalous) {
    WindowFeatures w =
        new WindowFeatures(
            T0.plusSeconds(10L * i), Duration.ofSeconds(10), Map.of(), List.of(), List.of());
    List<Anomaly> anomalies =
        java.util.Arrays.stream(anomalous)
            .map(s -> new Anomaly(s, w.start(), 0.5, List.of("test"), List.of(), List.of()))
            .toList();
    lifecycle.observe(w, anomalies, Set.of(), List.of(incident));
    now = w.end();
  }

  @Test
  void silencesAreSetListedAndExpiredAndSilencedAlertsStayVisible() throws Exception {
    HttpResponse<String> created =
        send(
            "POST",
            "/api/silences",
            """
            {"matchers":[{"name":"service","value":"pay.*","isRegex":true}],
             "duration":"1h","createdBy":"ops","comment":"card provider maintenance"}
            """);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    String id = Json.MAPPER.readTree(created.body()).get("silenceID").asText();
    assertThat(id).startsWith("silence-");

    window(0, "payment", "cart");
    window(1, "payment", "cart");
    JsonNode alerts = Json.MAPPER.readTree(send("GET", "/api/alerts", null).body());
    assertThat(alerts).hasSize(2);
    JsonNode silenced = Json.MAPPER.readTree(send("GET", "/api/alerts?silenced=true", null).body());
    assertThat(silenced).hasSize(1);
    assertThat(silenced.get(0).get("labels").get("service").asText()).isEqualTo("payment");
    assertThat(silenced.get(0).get("silencedBy").get(0).asText()).isEqualTo(id);

    JsonNode incidentView =
        Json.MAPPER.readTree(send("GET", "/api/incidents/inc-01TEST", null).body());
    assertThat(incidentView.get("incident").get("id").asText()).isEqualTo("inc-01TEST");
    assertThat(incidentView.get("alerts")).hasSize(1);
    assertThat(incidentView.get("alerts").get(0).get("annotations").get("root_cause").asText())
        .isEqualTo("payment");
    assertThat(send("GET", "/api/incidents/inc-nope", null).statusCode()).isEqualTo(404);

    JsonNode listed = Json.MAPPER.readTree(send("GET", "/api/silences", null).body());
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("status").get("state").asText()).isEqualTo("active");
    assertThat(listed.get(0).get("comment").asText()).isEqualTo("card provider maintenance");

    assertThat(send("DELETE", "/api/silences/" + id, null).statusCode()).isEqualTo(200);
    JsonNode expired = Json.MAPPER.readTree(send("GET", "/api/silences/" + id, null).body());
    assertThat(expired.get("status").get("state").asText()).isEqualTo("expired");
    window(2, "payment", "cart");
    assertThat(Json.MAPPER.readTree(send("GET", "/api/alerts?silenced=true", null).body()))
        .isEmpty();
    assertThat(send("DELETE", "/api/silences/silence-nope", null).statusCode()).isEqualTo(404);
  }

  @Test
  void badSilencesAndQueriesAreRefusedSayingWhatIsWrong() throws Exception {
    HttpResponse<String> noEnd =
        send("POST", "/api/silences", "{\"matchers\":[{\"name\":\"service\",\"value\":\"a\"}]}");
    assertThat(noEnd.statusCode()).isEqualTo(400);
    assertThat(noEnd.body()).contains("endsAt").contains("duration");
    HttpResponse<String> badRegex =
        send(
            "POST",
            "/api/silences",
            "{\"matchers\":[{\"name\":\"service\",\"value\":\"(\",\"isRegex\":true}],"
                + "\"duration\":\"1h\"}");
    assertThat(badRegex.statusCode()).isEqualTo(400);
    assertThat(badRegex.body()).contains("not a regular expression");
    HttpResponse<String> noMatchers = send("POST", "/api/silences", "{\"duration\":\"1h\"}");
    assertThat(noMatchers.body()).contains("matchers must be a non-empty array");
    assertThat(send("POST", "/api/silences", "not json").statusCode()).isEqualTo(400);
    assertThat(send("GET", "/api/alerts?status=burning", null).body())
        .contains("status must be firing or resolved");
    assertThat(send("POST", "/api/alerts", "{}").statusCode()).isEqualTo(405);
  }
}

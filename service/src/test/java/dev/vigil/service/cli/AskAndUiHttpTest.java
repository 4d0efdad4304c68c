package dev.vigil.service.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.nlq.DiagnosticAnswerer;
import dev.vigil.service.Json;
import dev.vigil.service.http.HttpApi;
import dev.vigil.service.pipeline.VigilPipeline;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code /api/ask} with conversations and the UI's JSON routes, on a real HTTP server. */
@Tag("integration")
class AskAndUiHttpTest {
  private static VigilPipeline pipeline;
  private static HttpApi api;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    pipeline = NlqScenario.pipeline();
    api =
        HttpApi.builder()
            .port(0)
            .pipeline(pipeline)
            .answerer(DiagnosticAnswerer.offline())
            .registry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
            .build();
    api.start();
    NlqScenario.standard().get(0).simulate(pipeline, MicroserviceSimulator.DEFAULT_SEED);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.address().getPort() + path));
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void aConversationKeepsItsContextForFollowUps() throws Exception {
    HttpResponse<String> first =
        send("POST", "/api/ask", "{\"question\":\"why is frontend slow?\"}");
    assertThat(first.statusCode()).isEqualTo(200);
    JsonNode a = json(first);
    assertThat(a.path("rootCause").asText()).isEqualTo("catalog");
    assertThat(a.path("confidence").asDouble()).isBetween(0.0, 1.0);
    String conversation = a.path("conversation").asText();
    assertThat(conversation).isNotBlank();

    JsonNode next =
        json(
            send(
                "POST",
                "/api/ask",
                "{\"question\":\"what about its callers?\",\"conversation\":\""
                    + conversation
                    + "\"}"));
    assertThat(next.path("service").asText()).isEqualTo("frontend");
    assertThat(next.path("intent").asText()).isEqualTo("neighbours");
    assertThat(next.path("conversation").asText()).isEqualTo(conversation);
  }

  @Test
  void aFollowUpNamingOnlyATimeAsksTheSameQuestionOverThatRange() throws Exception {
    JsonNode first = json(send("POST", "/api/ask", "{\"question\":\"why is frontend slow?\"}"));
    String conversation = first.path("conversation").asText();

    JsonNode yesterday =
        json(
            send(
                "POST",
                "/api/ask",
                "{\"question\":\"and yesterday?\",\"conversation\":\"" + conversation + "\"}"));
    assertThat(yesterday.path("service").asText()).isEqualTo("frontend");
    assertThat(yesterday.path("intent").asText()).isEqualTo("root_cause");
    // The simulated history starts today: yesterday has no windows, and the answer says so
    // instead of reusing today's incident.
    assertThat(yesterday.path("text").asText())
        .startsWith("No incident involving frontend yesterday.")
        .contains("There is no data for frontend yesterday");
    assertThat(yesterday.path("rootCause").isNull() || yesterday.path("rootCause").isMissingNode())
        .isTrue();

    JsonNode zh =
        json(
            send(
                "POST",
                "/api/ask",
                "{\"question\":\"为什么 frontend 变慢了？\",\"conversation\":\"zh-1\"}"));
    assertThat(zh.path("rootCause").asText()).isEqualTo("catalog");
    JsonNode callers =
        json(send("POST", "/api/ask", "{\"question\":\"那它的下游呢？\",\"conversation\":\"zh-1\"}"));
    assertThat(callers.path("service").asText()).isEqualTo("frontend");
    assertThat(callers.path("intent").asText()).isEqualTo("neighbours");
    assertThat(callers.path("text").asText()).contains("catalog");
  }

  @Test
  void getWorksAndBadRequestsSayWhatIsWrong() throws Exception {
    HttpResponse<String> get =
        send(
            "GET", "/api/ask?q=" + URLEncoder.encode("catalog 健康吗？", StandardCharsets.UTF_8), null);
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(json(get).path("text").asText()).startsWith("catalog 状态不正常");

    HttpResponse<String> notJson = send("POST", "/api/ask", "why?");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(json(notJson).path("error").asText()).contains("not JSON");
    HttpResponse<String> empty = send("POST", "/api/ask", "{\"question\":\"  \"}");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(json(empty).path("error").asText()).startsWith("missing question");
    HttpResponse<String> put = send("PUT", "/api/ask", "{}");
    assertThat(put.statusCode()).isEqualTo(405);
  }

  @Test
  void theUiRoutesServeThePageAndItsData() throws Exception {
    HttpResponse<String> page = send("GET", "/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.body()).contains("/ui/app.js");
    assertThat(send("GET", "/ui/app.js", null).body()).contains("VIGIL_REPORT");

    JsonNode overview = json(send("GET", "/ui/api/overview", null));
    assertThat(overview.path("services").toString()).contains("frontend", "catalog");
    assertThat(overview.path("anomalous").toString()).contains("catalog");
    String id = overview.path("incidents").get(0).path("id").asText();

    JsonNode incident = json(send("GET", "/ui/api/incident?id=" + id, null));
    assertThat(incident.path("causes").get(0).path("service").asText()).isEqualTo("catalog");
    JsonNode series = incident.path("series").get(0);
    assertThat(series.path("service").asText()).isEqualTo("catalog");
    assertThat(series.path("points").size()).isGreaterThan(10);

    assertThat(send("GET", "/ui/api/incident?id=inc-999", null).statusCode()).isEqualTo(404);
    // The listener refuses an ambiguous path (400) before any route sees it.
    assertThat(send("GET", "/ui/../../etc/passwd", null).statusCode()).isIn(400, 404);
  }
}

package dev.vigil.service.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.features.WindowFeatures;
import dev.vigil.models.Anomaly;
import dev.vigil.models.FeatureDeviation;
import dev.vigil.models.forecast.PredictiveAlert;
import dev.vigil.rca.Evidence;
import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import dev.vigil.rca.TimeOrderedIds;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sinks against local HTTP servers that validate every payload: Alertmanager's API v2 against
 * its published OpenAPI spec, the webhook against the webhook payload version 4, Slack's incoming
 * webhook shape. Through a whole fault: fire, re-notify, resolve after the fault ends; a silenced
 * service is recorded but nobody is notified; Alertmanager answers 500 first and still gets the
 * alert once.
 */
@Tag("integration")
class AlertSinksIntegrationTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final SwaggerSchema SPEC = SwaggerSchema.alertmanagerV2();

  private int window;

  private final Incident incident =
      new Incident(
          "inc-01SINKTEST",
          Incident.OPEN,
          T0,
          T0.plusSeconds(20),
          null,
          List.of("payment", "checkout", "cart"),
          List.of(
              new RootCause(
                  "payment",
                  0.9,
                  true,
                  List.of("payment", "checkout"),
                  List.of(
                      new Evidence(
                          Evidence.METRIC_CHANGE,
                          "own error rate of payment rose from 0.0% to 30.2%",
                          "payment 自身错误率从 0.0% 升至 30.2%",
                          "self_error_rate",
                          "ratio",
                          0.0,
                          0.302,
                          List.of())))),
          List.of());

  private List<Alert> step(AlertLifecycle lifecycle, AlertNotifier notifier, String... services) {
    WindowFeatures w =
        new WindowFeatures(
            T0.plusSeconds(10L * window++), Duration.ofSeconds(10), Map.of(), List.of(), List.of());
    List<Anomaly> anomalies = new ArrayList<>();
    for (String s : services) {
      anomalies.add(
          new Anomaly(
              s,
              w.start(),
              0.95,
              List.of("random_cut_forest"),
              List.of(new FeatureDeviation("error_rate", "ratio", 0.0, 0.3, 12)),
              List.of()));
    }
    List<Alert> out = lifecycle.observe(w, anomalies, Set.of(), List.of(incident));
    out.forEach(notifier::onAlert);
    return out;
  }

  static List<String> alertmanager(JsonNode body) {
    List<String> errors = new ArrayList<>(SPEC.validate("postableAlerts", body));
    for (JsonNode a : body) {
      if (a.path("labels").isEmpty()) {
        errors.add("labels must not be empty");
      }
    }
    return errors;
  }

  static List<String> webhookV4(JsonNode p) {
    List<String> errors = new ArrayList<>();
    if (!p.path("version").asText().equals("4")) {
      errors.add("version must be \"4\"");
    }
    for (String f : List.of("groupKey", "receiver", "externalURL", "status")) {
      if (!p.path(f).isTextual()) {
        errors.add(f + " must be a string");
      }
    }
    if (!p.path("truncatedAlerts").isIntegralNumber()) {
      errors.add("truncatedAlerts must be an integer");
    }
    if (!Set.of("firing", "resolved").contains(p.path("status").asText())) {
      errors.add("status must be firing or resolved");
    }
    for (String f : List.of("groupLabels", "commonLabels", "commonAnnotations")) {
      stringMap(p.path(f), f, errors);
    }
    if (!p.path("alerts").isArray() || p.path("alerts").isEmpty()) {
      errors.add("alerts must be a non-empty array");
    }
    for (JsonNode a : p.path("alerts")) {
      if (!Set.of("firing", "resolved").contains(a.path("status").asText())) {
        errors.add("alert status must be firing or resolved");
      }
      stringMap(a.path("labels"), "labels", errors);
      stringMap(a.path("annotations"), "annotations", errors);
      for (String f : List.of("startsAt", "endsAt")) {
        try {
          OffsetDateTime.parse(a.path(f).asText());
        } catch (RuntimeException e) {
          errors.add(f + " is not RFC 3339: " + a.path(f));
        }
      }
      if (!a.path("generatorURL").asText().startsWith("http")) {
        errors.add("generatorURL must be a URL");
      }
      if (!a.path("fingerprint").asText().matches("[0-9a-f]{16}")) {
        errors.add("fingerprint must be 16 hex digits");
      }
      Set<String> known =
          Set.of(
              "status",
              "labels",
              "annotations",
              "startsAt",
              "endsAt",
              "generatorURL",
              "fingerprint");
      a.fieldNames()
          .forEachRemaining(
              f -> {
                if (!known.contains(f)) {
                  errors.add("unknown alert field " + f);
                }
              });
    }
    return errors;
  }

  static List<String> slack(JsonNode p) {
    return p.path("text").isTextual() && !p.path("text").asText().isBlank()
        ? List.of()
        : List.of("text must be a non-empty string");
  }

  private static void stringMap(JsonNode m, String name, List<String> errors) {
    if (!m.isObject()) {
      errors.add(name + " must be an object");
      return;
    }
    for (Iterator<JsonNode> it = m.elements(); it.hasNext(); ) {
      if (!it.next().isTextual()) {
        errors.add(name + " values must be strings");
      }
    }
  }

  private static Predicate<JsonNode> amAlert(String service, Predicate<JsonNode> alert) {
    return body -> {
      for (JsonNode a : body) {
        if (a.path("labels").path("service").asText().equals(service) && alert.test(a)) {
          return true;
        }
      }
      return false;
    };
  }

  private static long amCount(ReceiverServer am, String service, Predicate<JsonNode> alert) {
    long n = 0;
    for (JsonNode body : am.accepted) {
      for (JsonNode a : body) {
        if (a.path("labels").path("service").asText().equals(service) && alert.test(a)) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void theConfiguredRedactionPatternsApplyToWhatTheSinksReceiveOnly() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AlertLifecycle lifecycle = AlertLifecycle.builder().ids(TimeOrderedIds.seeded(9)).build();
    try (ReceiverServer am =
            new ReceiverServer("/api/v2/alerts", AlertSinksIntegrationTest::alertmanager);
        ReceiverServer hook = new ReceiverServer("/hook", AlertSinksIntegrationTest::webhookV4);
        AlertNotifier notifier =
            AlertNotifier.builder(registry)
                .redaction(dev.vigil.nlq.Redactor.of(List.of("30\\.2%"))::redact)
                .sink(AlertmanagerSink.builder().url(am.url()).build())
                .sink(WebhookSink.builder().url(hook.url() + "/hook").build())
                .build()) {
      step(lifecycle, notifier);
      step(lifecycle, notifier, "payment");
      step(lifecycle, notifier, "payment");
      Predicate<JsonNode> redacted =
          body -> body.toString().contains("[REDACTED]") && !body.toString().contains("30.2%");
      assertThat(am.awaitAccepted(redacted, WAIT))
          .as("Alertmanager got the alert redacted; got %s", am.accepted)
          .isTrue();
      assertThat(hook.awaitAccepted(redacted, WAIT))
          .as("the webhook got the alert redacted; got %s", hook.accepted)
          .isTrue();
      assertThat(am.accepted).noneMatch(b -> b.toString().contains("30.2%"));
      // What stays in the process (the lifecycle behind /api/alerts) keeps the figure.
      assertThat(lifecycle.alerts())
          .anyMatch(a -> a.annotations().values().stream().anyMatch(v -> v.contains("30.2%")));
    }
  }

  @Test
  void aPredictiveAlertReachesTheReceiversWithItsLabelsAndResolvesWhenTheThresholdAlertFires()
      throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AlertLifecycle lifecycle = AlertLifecycle.builder().ids(TimeOrderedIds.seeded(7)).build();
    try (ReceiverServer am =
            new ReceiverServer("/api/v2/alerts", AlertSinksIntegrationTest::alertmanager);
        ReceiverServer hook = new ReceiverServer("/hook", AlertSinksIntegrationTest::webhookV4);
        AlertNotifier notifier =
            AlertNotifier.builder(registry)
                .sink(AlertmanagerSink.builder().url(am.url()).build())
                .sink(WebhookSink.builder().url(hook.url() + "/hook").build())
                .build()) {
      step(lifecycle, notifier);
      Instant at = T0.plusSeconds(10);
      PredictiveAlert forecast =
          new PredictiveAlert("catalog/p95_latency", 180, at.plusSeconds(240), 24, 183.5);
      List<Alert> fired = lifecycle.observePredictions(at, List.of(forecast), series -> true);
      assertThat(fired).hasSize(1);
      fired.forEach(notifier::onAlert);
      assertThat(lifecycle.alerts()).extracting(Alert::id).contains(fired.get(0).id());

      Predicate<JsonNode> predictive =
          a ->
              a.path("labels").path("kind").asText().equals("predictive")
                  && a.path("labels").path("alertname").asText().equals("VigilPredictedCrossing")
                  && a.path("labels").path("series").asText().equals("p95_latency")
                  && a.path("labels").path("severity").asText().equals("warning")
                  && a.path("annotations")
                      .path("expected_at")
                      .asText()
                      .equals("2026-01-01T00:04:10Z")
                  && a.path("annotations").path("forecast").asText().startsWith("183.5")
                  && a.path("annotations").path("threshold").asText().startsWith("180");
      assertThat(am.awaitAccepted(amAlert("catalog", predictive), WAIT))
          .as("Alertmanager got the predictive alert; violations %s", am.violations)
          .isTrue();
      assertThat(
              hook.awaitAccepted(
                  p ->
                      p.path("status").asText().equals("firing")
                          && amAlert("catalog", predictive).test(p.path("alerts")),
                  WAIT))
          .as("the webhook got the predictive alert; violations %s", hook.violations)
          .isTrue();

      // The threshold alert of catalog fires (two anomalous windows): the prediction resolves.
      step(lifecycle, notifier, "catalog");
      List<Alert> threshold = step(lifecycle, notifier, "catalog");
      assertThat(threshold).extracting(a -> a.labels().get("kind")).containsExactly("errors");
      Instant now = T0.plusSeconds(30);
      List<Alert> resolved = lifecycle.observePredictions(now, List.of(), series -> true);
      assertThat(resolved).hasSize(1);
      assertThat(resolved.get(0).status()).isEqualTo(Alert.RESOLVED);
      assertThat(resolved.get(0).annotations()).containsEntry("resolution", "threshold_alert");
      resolved.forEach(notifier::onAlert);
      assertThat(
              hook.awaitAccepted(
                  p ->
                      amAlert(
                              "catalog",
                              a ->
                                  a.path("status").asText().equals("resolved")
                                      && a.path("labels").path("kind").asText().equals("predictive")
                                      && a.path("annotations")
                                          .path("resolution")
                                          .asText()
                                          .equals("threshold_alert"))
                          .test(p.path("alerts")),
                  WAIT))
          .as("the webhook got the resolution; violations %s", hook.violations)
          .isTrue();
    }
  }

  @Test
  void aWholeFaultFiresReNotifiesAndResolvesEverywhereExceptWhereSilenced() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AlertLifecycle lifecycle =
        AlertLifecycle.builder()
            .renotifyInterval(Duration.ofSeconds(30))
            .ids(TimeOrderedIds.seeded(5))
            .build();
    lifecycle
        .silences()
        .add(
            List.of(new Matcher("service", "cart", false, true)),
            T0,
            T0.plusSeconds(3600),
            "ops",
            "cart migration");
    try (ReceiverServer am =
            new ReceiverServer("/api/v2/alerts", AlertSinksIntegrationTest::alertmanager, 500);
        ReceiverServer hook = new ReceiverServer("/hook", AlertSinksIntegrationTest::webhookV4);
        ReceiverServer slack = new ReceiverServer("/slack", AlertSinksIntegrationTest::slack);
        AlertNotifier notifier =
            AlertNotifier.builder(registry)
                .sink(
                    AlertmanagerSink.builder()
                        .url(am.url())
                        .externalUrl("http://vigil.example:8080")
                        .build())
                .sink(WebhookSink.builder().url(hook.url() + "/hook").build())
                .sink(SlackSink.builder().url(slack.url() + "/slack").build())
                .initialBackoff(Duration.ofMillis(50))
                .build()) {
      step(lifecycle, notifier, "payment", "cart");
      assertThat(step(lifecycle, notifier, "payment", "cart")).hasSize(2); // both fire
      assertThat(
              am.awaitAccepted(
                  amAlert(
                      "payment", a -> a.path("endsAt").asText().compareTo("2026-01-01T00:10") > 0),
                  WAIT))
          .as("firing alert accepted after a 500; violations %s", am.violations)
          .isTrue();
      JsonNode fired = am.accepted.get(0).get(0);
      assertThat(fired.path("annotations").path("description").asText())
          .contains("root cause payment")
          .contains("rose from 0.0% to 30.2%");
      assertThat(fired.path("generatorURL").asText())
          .isEqualTo("http://vigil.example:8080/api/incidents/inc-01SINKTEST");
      assertThat(fired.path("labels").path("severity").asText()).isEqualTo("critical");

      for (int i = 0; i < 3; i++) {
        step(lifecycle, notifier, "payment", "cart"); // 30 s .. 50 s: renotified at 50 s
      }
      assertThat(
              am.awaitAccepted(
                  amAlert(
                      "payment",
                      a ->
                          a.path("startsAt").asText().equals("2026-01-01T00:00:20Z")
                              && a.path("endsAt").asText().startsWith("2026-01-01T00:15:50")),
                  WAIT))
          .as("re-notified; violations %s", am.violations)
          .isTrue();

      for (int i = 0; i < 3; i++) {
        step(lifecycle, notifier); // the fault has ended: quiet windows
      }
      assertThat(
              am.awaitAccepted(
                  amAlert("payment", a -> a.path("endsAt").asText().equals("2026-01-01T00:01:20Z")),
                  WAIT))
          .as("resolved with its end; violations %s", am.violations)
          .isTrue();
      assertThat(hook.awaitAccepted(p -> p.path("status").asText().equals("resolved"), WAIT))
          .as("webhook resolved; violations %s", hook.violations)
          .isTrue();
      assertThat(slack.awaitAccepted(p -> p.path("text").asText().contains("RESOLVED"), WAIT))
          .isTrue();

      assertThat(am.violations).isEmpty();
      assertThat(hook.violations).isEmpty();
      assertThat(slack.violations).isEmpty();
      assertThat(am.requests.get()).as("one failed try, then the accepted ones").isGreaterThan(1);
      assertThat(
              amCount(
                  am,
                  "payment",
                  a ->
                      a.path("startsAt").asText().equals("2026-01-01T00:00:20Z")
                          && a.path("endsAt").asText().startsWith("2026-01-01T00:15:20")))
          .as("the first firing report accepted exactly once")
          .isEqualTo(1);
      assertThat(registry.counter("vigil.sinks.retries", "sink", "alertmanager").count())
          .isEqualTo(1);
      assertThat(amCount(am, "cart", a -> true)).as("silenced: never sent").isZero();
      assertThat(hook.accepted.toString()).doesNotContain("\"cart\"");
      assertThat(slack.accepted.toString()).doesNotContain("`cart`");
      assertThat(lifecycle.alerts())
          .filteredOn(a -> a.service().equals("cart"))
          .singleElement()
          .satisfies(a -> assertThat(a.silenced()).isTrue());
      assertThat(registry.counter("vigil.alerts.silenced").count()).isPositive();

      JsonNode firstHook = hook.accepted.get(0);
      assertThat(firstHook.path("groupLabels").path("incident").asText())
          .isEqualTo("inc-01SINKTEST");
      assertThat(firstHook.path("alerts").get(0).path("endsAt").asText())
          .isEqualTo("0001-01-01T00:00:00Z");
      assertThat(slack.accepted.get(0).path("text").asText())
          .contains("payment")
          .contains("root cause payment");
    }
  }

  @Test
  void aSinkThatIsDownNeverBlocksAndItsFailuresAreCounted() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AlertLifecycle lifecycle = AlertLifecycle.builder().build();
    try (ReceiverServer down =
            new ReceiverServer(
                "/api/v2/alerts", AlertSinksIntegrationTest::alertmanager, 503, 503, 503);
        AlertNotifier notifier =
            AlertNotifier.builder(registry)
                .sink(AlertmanagerSink.builder().url(down.url()).build())
                .initialBackoff(Duration.ofMillis(20))
                .maxAttempts(3)
                .build()) {
      long start = System.nanoTime();
      step(lifecycle, notifier, "payment");
      step(lifecycle, notifier, "payment");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (registry
                  .counter("vigil.sinks.deliveries", "sink", "alertmanager", "outcome", "failed")
                  .count()
              == 0
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(
              registry
                  .counter("vigil.sinks.deliveries", "sink", "alertmanager", "outcome", "failed")
                  .count())
          .isEqualTo(1);
      assertThat(registry.counter("vigil.sinks.retries", "sink", "alertmanager").count())
          .isEqualTo(2);
      assertThat(down.requests.get()).isEqualTo(3);
    }
  }
}

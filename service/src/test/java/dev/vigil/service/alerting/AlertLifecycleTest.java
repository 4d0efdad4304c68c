package dev.vigil.service.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.features.WindowFeatures;
import dev.vigil.models.Anomaly;
import dev.vigil.models.FeatureDeviation;
import dev.vigil.rca.Evidence;
import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import dev.vigil.rca.TimeOrderedIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertLifecycleTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private int windowIndex;
  private List<Incident> incidents = List.of();

  private WindowFeatures nextWindow() {
    return new WindowFeatures(
        T0.plusSeconds(10L * windowIndex++),
        Duration.ofSeconds(10),
        Map.of(),
        List.of(),
        List.of());
  }

  private static Anomaly anomaly(String service, double grade) {
    return new Anomaly(
        service,
        T0,
        grade,
        List.of("random_cut_forest"),
        List.of(new FeatureDeviation("p95_latency", "ms", 20, 240, 9)),
        List.of());
  }

  private static AlertLifecycle lifecycle(int pending, int quiet) {
    return AlertLifecycle.builder()
        .pendingWindows(pending)
        .quietWindows(quiet)
        .renotifyInterval(Duration.ofHours(1))
        .ids(TimeOrderedIds.seeded(1))
        .build();
  }

  private List<Alert> observe(AlertLifecycle lifecycle, String... anomalous) {
    List<Anomaly> anomalies = new ArrayList<>();
    for (String s : anomalous) {
      anomalies.add(anomaly(s, 0.9));
    }
    return lifecycle.observe(nextWindow(), anomalies, Set.of(), incidents);
  }

  private List<String> step(AlertLifecycle lifecycle, String... anomalous) {
    return observe(lifecycle, anomalous).stream().map(a -> a.event() + ":" + a.service()).toList();
  }

  @Test
  void oneAnomalousWindowDoesNotFire() {
    AlertLifecycle lifecycle = lifecycle(2, 3);
    assertThat(step(lifecycle, "payment")).isEmpty();
    assertThat(step(lifecycle)).isEmpty();
    assertThat(step(lifecycle, "payment")).isEmpty();
    assertThat(step(lifecycle)).isEmpty();
    assertThat(lifecycle.alerts()).isEmpty();
  }

  @Test
  void firesOnceAfterPendingWindowsAndResolvesAfterQuietWindows() {
    AlertLifecycle lifecycle = lifecycle(2, 3);
    assertThat(step(lifecycle, "catalog")).isEmpty();
    List<Alert> fired = observe(lifecycle, "catalog");
    assertThat(fired).singleElement().extracting(Alert::event).isEqualTo(Alert.FIRED);
    Alert alert = fired.get(0);
    assertThat(alert.id()).startsWith("alert-");
    assertThat(alert.labels())
        .containsEntry("alertname", "VigilServiceAnomaly")
        .containsEntry("service", "catalog")
        .containsEntry("kind", "latency")
        .containsEntry("severity", Alert.CRITICAL);
    assertThat(alert.fingerprint()).hasSize(16).isEqualTo(Fingerprints.of(alert.labels()));
    assertThat(step(lifecycle, "catalog")).as("de-duplicated").isEmpty();
    assertThat(step(lifecycle)).isEmpty();
    assertThat(step(lifecycle, "catalog")).isEmpty();
    assertThat(lifecycle.alerts()).singleElement().extracting(Alert::status).isEqualTo("firing");
    assertThat(step(lifecycle)).isEmpty();
    assertThat(step(lifecycle)).isEmpty();
    List<Alert> resolved = observe(lifecycle);
    assertThat(resolved)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.event()).isEqualTo(Alert.RESOLVED);
              assertThat(r.status()).isEqualTo(Alert.RESOLVED);
              assertThat(r.id()).isEqualTo(alert.id());
              assertThat(r.fingerprint()).isEqualTo(alert.fingerprint());
              assertThat(r.startsAt()).isEqualTo(alert.startsAt());
              assertThat(r.endsAt()).isEqualTo(T0.plusSeconds(80));
            });
    assertThat(lifecycle.alerts()).singleElement().extracting(Alert::status).isEqualTo("resolved");
  }

  @Test
  void reNotifiesWhileFiringAtTheInterval() {
    AlertLifecycle lifecycle =
        AlertLifecycle.builder().renotifyInterval(Duration.ofSeconds(30)).build();
    step(lifecycle, "cart");
    assertThat(step(lifecycle, "cart")).containsExactly("fired:cart"); // at 20 s
    assertThat(step(lifecycle, "cart")).isEmpty(); // 30 s
    assertThat(step(lifecycle, "cart")).isEmpty(); // 40 s
    assertThat(step(lifecycle, "cart")).containsExactly("renotified:cart"); // 50 s
    assertThat(step(lifecycle, "cart")).isEmpty();
    assertThat(step(lifecycle, "cart")).isEmpty();
    assertThat(step(lifecycle, "cart")).containsExactly("renotified:cart"); // 80 s
  }

  @Test
  void manyServicesResolvingInOneWindowEachResolveOnceUnderTheirOwnName() {
    AlertLifecycle lifecycle = lifecycle(1, 1);
    List<String> services = List.of("ad", "cart", "checkout", "email", "payment", "shipping");
    assertThat(step(lifecycle, services.toArray(String[]::new))).hasSize(services.size());
    assertThat(step(lifecycle))
        .containsExactlyInAnyOrderElementsOf(services.stream().map(s -> "resolved:" + s).toList());
    assertThat(step(lifecycle)).isEmpty();
  }

  @Test
  void unsettledWindowsDoNotCountAsQuiet() {
    AlertLifecycle lifecycle = lifecycle(2, 3);
    step(lifecycle, "email");
    assertThat(step(lifecycle, "email")).containsExactly("fired:email");
    for (int i = 0; i < 8; i++) {
      assertThat(lifecycle.observe(nextWindow(), List.of(), Set.of("email"), List.of())).isEmpty();
    }
    assertThat(step(lifecycle)).isEmpty();
    assertThat(lifecycle.observe(nextWindow(), List.of(), Set.of("email"), List.of())).isEmpty();
    assertThat(step(lifecycle)).isEmpty();
    assertThat(step(lifecycle)).containsExactly("resolved:email");
  }

  @Test
  void anUnsettledServiceWithoutAFiringAlertGetsNone() {
    AlertLifecycle lifecycle = lifecycle(2, 3);
    assertThat(step(lifecycle, "email")).isEmpty();
    assertThat(lifecycle.observe(nextWindow(), List.of(), Set.of("email"), List.of())).isEmpty();
    assertThat(step(lifecycle, "email")).isEmpty(); // the streak was broken: still pending
  }

  @Test
  void alertsAreGroupedUnderTheIncidentThatExplainsThemWithItsRootCause() {
    AlertLifecycle lifecycle = lifecycle(2, 3);
    Evidence evidence =
        new Evidence(
            Evidence.METRIC_CHANGE,
            "catalog self time p95 rose from 4 ms to 212 ms",
            "catalog 自身耗时 p95 从 4 ms 升至 212 ms",
            "self_p95_latency",
            "ms",
            4.0,
            212.0,
            List.of());
    incidents =
        List.of(
            new Incident(
                "inc-01TEST",
                Incident.OPEN,
                T0,
                T0.plusSeconds(20),
                null,
                List.of("catalog", "frontend"),
                List.of(
                    new RootCause(
                        "catalog", 0.9, true, List.of("catalog", "frontend"), List.of(evidence))),
                List.of()));
    step(lifecycle, "frontend", "payment");
    List<Alert> fired = observe(lifecycle, "frontend", "payment");
    assertThat(fired)
        .filteredOn(a -> a.service().equals("frontend"))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.incidentId()).isEqualTo("inc-01TEST");
              assertThat(a.annotations()).containsEntry("root_cause", "catalog");
              assertThat(a.annotations().get("description"))
                  .contains("root cause catalog")
                  .contains("catalog -> frontend")
                  .contains("rose from 4 ms to 212 ms");
            });
    assertThat(fired)
        .filteredOn(a -> a.service().equals("payment"))
        .singleElement()
        .satisfies(a -> assertThat(a.incidentId()).isNull());
  }

  @Test
  void aSilencedAlertIsKeptAndMarkedAndUnsilencedWhenTheSilenceEnds() {
    AlertLifecycle lifecycle = lifecycle(2, 3);
    Silence silence =
        lifecycle
            .silences()
            .add(
                List.of(new Matcher("service", "pay.*", true, true)),
                T0,
                T0.plusSeconds(60),
                "ops",
                "maintenance");
    step(lifecycle, "payment", "cart");
    List<Alert> fired = observe(lifecycle, "payment", "cart");
    assertThat(fired)
        .filteredOn(a -> a.service().equals("payment"))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.silenced()).isTrue();
              assertThat(a.silencedBy()).containsExactly(silence.id());
            });
    assertThat(fired)
        .filteredOn(a -> a.service().equals("cart"))
        .singleElement()
        .extracting(Alert::silenced)
        .isEqualTo(false);
    assertThat(lifecycle.alerts()).hasSize(2);
    for (int i = 0; i < 3; i++) {
      assertThat(step(lifecycle, "payment", "cart")).isEmpty(); // 30, 40, 50 s
    }
    List<Alert> after = observe(lifecycle, "payment", "cart"); // 60 s: the silence has ended
    assertThat(after)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.event()).isEqualTo(Alert.UPDATED);
              assertThat(a.service()).isEqualTo("payment");
              assertThat(a.silenced()).isFalse();
            });
  }

  @Test
  void expiringASilenceEndsItAndMatchersFollowAlertmanager() {
    SilenceRegistry silences = new SilenceRegistry(TimeOrderedIds.seeded(2));
    Silence s =
        silences.add(
            List.of(
                new Matcher("service", "cart", false, true),
                new Matcher("severity", "warn.*", true, false)),
            T0,
            T0.plusSeconds(3600),
            "ops",
            "");
    Map<String, String> critical = Map.of("service", "cart", "severity", "critical");
    assertThat(silences.matching(critical, T0.plusSeconds(10))).containsExactly(s.id());
    assertThat(silences.matching(Map.of("service", "cart", "severity", "warning"), T0)).isEmpty();
    assertThat(silences.matching(Map.of("service", "carts", "severity", "critical"), T0))
        .as("regex and equality are anchored")
        .isEmpty();
    assertThat(silences.matching(critical, T0.minusSeconds(1))).as("pending").isEmpty();
    assertThat(silences.expire(s.id(), T0.plusSeconds(20))).isPresent();
    assertThat(silences.matching(critical, T0.plusSeconds(20))).isEmpty();
    assertThat(silences.get(s.id()).orElseThrow().state(T0.plusSeconds(20)))
        .isEqualTo(Silence.EXPIRED);
    assertThatThrownBy(() -> new Matcher("service", "(", true, true))
        .hasMessageContaining("not a regular expression");
  }

  @Test
  void snapshotAndRestoreCarryFiringAlertsAndSilencesOverARestart() {
    AlertLifecycle before = lifecycle(2, 3);
    before
        .silences()
        .add(List.of(new Matcher("service", "cart", false, true)), T0, T0.plusSeconds(600), "", "");
    step(before, "catalog");
    Alert fired = observe(before, "catalog").get(0);
    byte[] snapshot = before.snapshot();

    AlertLifecycle after = lifecycle(2, 3);
    after.restore(snapshot);
    assertThat(after.alerts()).containsExactlyElementsOf(before.alerts());
    assertThat(after.silences().all()).containsExactlyElementsOf(before.silences().all());
    assertThat(step(after, "catalog")).as("still firing, not fired again").isEmpty();
    step(after);
    step(after);
    List<Alert> resolved = observe(after);
    assertThat(resolved).singleElement().extracting(Alert::id).isEqualTo(fired.id());
  }

  @Test
  void aSnapshotOfAnotherVersionIsRefusedWithItsVersion() {
    AlertLifecycle lifecycle = lifecycle(2, 3);
    assertThatThrownBy(
            () ->
                lifecycle.restore(
                    "{\"version\":99,\"states\":[],\"resolved\":[],\"silences\":[]}".getBytes()))
        .hasMessageContaining("version 99");
    assertThatThrownBy(() -> lifecycle.restore("nope".getBytes()))
        .hasMessageContaining("not an alert state snapshot");
  }
}

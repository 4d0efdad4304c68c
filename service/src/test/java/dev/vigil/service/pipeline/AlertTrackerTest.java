package dev.vigil.service.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.features.WindowFeatures;
import dev.vigil.models.Anomaly;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertTrackerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private int windowIndex;

  private WindowFeatures nextWindow() {
    return new WindowFeatures(
        T0.plusSeconds(10L * windowIndex++),
        Duration.ofSeconds(10),
        Map.of(),
        List.of(),
        List.of());
  }

  private static Anomaly anomaly(String service) {
    return new Anomaly(service, T0, 0.9, List.of("random_cut_forest"), List.of(), List.of());
  }

  private List<String> step(AlertTracker tracker, String... anomalous) {
    List<Anomaly> anomalies = new ArrayList<>();
    for (String s : anomalous) {
      anomalies.add(anomaly(s));
    }
    return tracker.observe(nextWindow(), anomalies).stream()
        .map(a -> a.status() + ":" + a.service())
        .toList();
  }

  @Test
  void oneAnomalousWindowDoesNotFire() {
    AlertTracker tracker = new AlertTracker(2, 3);
    assertThat(step(tracker, "payment")).isEmpty();
    assertThat(step(tracker)).isEmpty();
    assertThat(step(tracker, "payment")).isEmpty();
    assertThat(step(tracker)).isEmpty();
  }

  @Test
  void firesAfterPendingWindowsAndResolvesAfterQuietWindows() {
    AlertTracker tracker = new AlertTracker(2, 3);
    assertThat(step(tracker, "catalog")).isEmpty();
    assertThat(step(tracker, "catalog")).containsExactly("firing:catalog");
    assertThat(step(tracker, "catalog")).isEmpty();
    assertThat(step(tracker)).isEmpty();
    assertThat(step(tracker, "catalog")).isEmpty(); // still firing: no second alert
    assertThat(step(tracker)).isEmpty();
    assertThat(step(tracker)).isEmpty();
    assertThat(step(tracker)).containsExactly("resolved:catalog");
  }

  @Test
  void manyServicesResolvingInOneWindowEachResolveOnceUnderTheirOwnName() {
    AlertTracker tracker = new AlertTracker(1, 1);
    List<String> services = List.of("ad", "cart", "checkout", "email", "payment", "shipping");
    assertThat(step(tracker, services.toArray(String[]::new))).hasSize(services.size());
    assertThat(step(tracker))
        .containsExactlyInAnyOrderElementsOf(services.stream().map(s -> "resolved:" + s).toList());
    assertThat(step(tracker)).isEmpty();
  }

  @Test
  void unsettledWindowsDoNotCountAsQuiet() {
    AlertTracker tracker = new AlertTracker(2, 3);
    step(tracker, "email");
    assertThat(step(tracker, "email")).containsExactly("firing:email");
    for (int i = 0; i < 8; i++) {
      assertThat(tracker.observe(nextWindow(), List.of(), Set.of("email"))).isEmpty();
    }
    assertThat(step(tracker)).isEmpty();
    assertThat(tracker.observe(nextWindow(), List.of(), Set.of("email"))).isEmpty();
    assertThat(step(tracker)).isEmpty();
    assertThat(step(tracker)).containsExactly("resolved:email");
  }

  @Test
  void anUnsettledServiceWithoutAFiringAlertGetsNone() {
    AlertTracker tracker = new AlertTracker(2, 3);
    assertThat(step(tracker, "email")).isEmpty();
    assertThat(tracker.observe(nextWindow(), List.of(), Set.of("email"))).isEmpty();
    assertThat(step(tracker, "email")).isEmpty(); // the streak was broken: still pending
  }
}

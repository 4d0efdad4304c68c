package dev.vigil.rca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.features.WindowFeatures;
import dev.vigil.models.Anomaly;
import dev.vigil.models.FeatureDeviation;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IncidentTrackerSnapshotTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String FIXTURE = "/incident-tracker-state-v1.bin";

  private static final RootCauseRanker DEEPEST_NAME =
      new RootCauseRanker() {
        @Override
        public List<RootCause> rank(IncidentEvidence incident) {
          return incident.anomalousServices().stream()
              .map(
                  s ->
                      new RootCause(
                          s,
                          0.5,
                          true,
                          List.of(s),
                          List.of(
                              new Evidence(
                                  Evidence.METRIC_CHANGE,
                                  s + " changed",
                                  s + " 变了",
                                  "self_p95_latency",
                                  "ms",
                                  1.0,
                                  2.0,
                                  List.of("abc")))))
              .toList();
        }

        @Override
        public String name() {
          return "by_name";
        }
      };

  private final CallGraph graph = new CallGraph();
  private int index;

  {
    graph.addEdge("frontend", "recommendation");
    graph.addEdge("recommendation", "catalog");
    graph.addEdge("frontend", "checkout");
    graph.addEdge("checkout", "email");
  }

  private IncidentTracker tracker() {
    return IncidentTracker.builder(DEEPEST_NAME, (f, feature, w) -> Optional.empty())
        .ids(TimeOrderedIds.seeded(42))
        .build();
  }

  private List<Incident> step(IncidentTracker tracker, String... anomalous) {
    WindowFeatures w =
        new WindowFeatures(
            T0.plusSeconds(10L * index++), Duration.ofSeconds(10), Map.of(), List.of(), List.of());
    List<Anomaly> anomalies = new ArrayList<>();
    for (String s : anomalous) {
      anomalies.add(
          new Anomaly(
              s,
              w.start(),
              0.8,
              List.of("test"),
              List.of(new FeatureDeviation("p95_latency", "ms", 10, 50, 7)),
              List.of("t1")));
    }
    return tracker.observe(w, anomalies, Set.of(), graph);
  }

  /** Two incidents open (catalog's and email's), email's after one quiet window. */
  private IncidentTracker withTwoOpen() {
    IncidentTracker t = tracker();
    step(t, "catalog", "email");
    assertThat(step(t, "catalog", "email")).hasSize(2);
    step(t, "catalog");
    return t;
  }

  @Test
  void aRestoredTrackerContinuesTheOpenIncidentsUnderTheirIds() {
    IncidentTracker before = withTwoOpen();
    List<Incident> open = before.open();
    IncidentTracker after = tracker();
    after.restore(before.snapshot());
    assertThat(after.open()).containsExactlyElementsOf(open);
    assertThat(step(after, "catalog", "email")).as("same faults: nothing new").isEmpty();
    step(after, "catalog");
    step(after, "catalog");
    List<Incident> resolved = step(after, "catalog");
    assertThat(resolved)
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.id()).isEqualTo(open.get(1).id());
              assertThat(i.status()).isEqualTo(Incident.RESOLVED);
            });
  }

  @Test
  void aCommittedVersionOneSnapshotStillLoads() throws IOException {
    byte[] fixture;
    try (InputStream in = getClass().getResourceAsStream(FIXTURE)) {
      assertThat(in).as("fixture %s, written by version 1 of the codec", FIXTURE).isNotNull();
      fixture = in.readAllBytes();
    }
    IncidentTracker restored = tracker();
    restored.restore(fixture);
    assertThat(restored.open()).hasSize(2);
    assertThat(restored.open()).extracting(Incident::topCause).containsExactly("catalog", "email");
    assertThat(restored.open().get(0).rootCauses().get(0).evidence().get(0).textZh())
        .isEqualTo("catalog 变了");
    assertThat(restored.open().get(0).anomalies()).isNotEmpty();
    assertThat(restored.snapshot()).isEqualTo(fixture);
  }

  @Test
  void badSnapshotsAreRefusedSayingWhy() {
    IncidentTracker t = tracker();
    assertThatThrownBy(() -> t.restore(new byte[] {1, 2, 3, 4, 5}))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] good = withTwoOpen().snapshot();
    byte[] future = good.clone();
    future[7] = 9; // version 9
    assertThatThrownBy(() -> t.restore(future)).hasMessageContaining("version 9");
    assertThatThrownBy(() -> t.restore(java.util.Arrays.copyOf(good, good.length - 3)))
        .hasMessageContaining("truncated");
  }
}

package dev.vigil.rca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.features.WindowFeatures;
import dev.vigil.models.Anomaly;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IncidentTrackerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** Ranks the anomalous services of the evidence alphabetically, so the test sees what it got. */
  private static final RootCauseRanker BY_NAME =
      new RootCauseRanker() {
        @Override
        public List<RootCause> rank(IncidentEvidence incident) {
          return incident.anomalies().stream()
              .map(Anomaly::service)
              .distinct()
              .sorted()
              .map(s -> new RootCause(s, 0, true, List.of(s), List.of()))
              .toList();
        }

        @Override
        public String name() {
          return "by_name";
        }
      };

  private final IncidentTracker tracker =
      new IncidentTracker(BY_NAME, (f, feature, window) -> Optional.empty(), 2, 3);
  private final CallGraph graph = new CallGraph();

  {
    graph.addEdge("frontend", "recommendation");
    graph.addEdge("recommendation", "catalog");
    graph.addEdge("frontend", "checkout");
    graph.addEdge("checkout", "email");
  }

  private int index;

  private List<Incident> step(String... anomalous) {
    return stepWithUnsettled(Set.of(), anomalous);
  }

  private List<Incident> stepWithUnsettled(Set<String> unsettled, String... anomalous) {
    WindowFeatures w =
        new WindowFeatures(
            T0.plusSeconds(10L * index++), Duration.ofSeconds(10), Map.of(), List.of(), List.of());
    List<Anomaly> anomalies = new ArrayList<>();
    for (String s : anomalous) {
      anomalies.add(new Anomaly(s, w.start(), 0.8, List.of("test"), List.of(), List.of()));
    }
    return tracker.observe(w, anomalies, unsettled, graph);
  }

  @Test
  void unsettledWindowsOfAnAffectedServiceNeitherResolveNorGrowTheIncident() {
    step("email");
    List<Incident> opened = step("email");
    assertThat(opened).singleElement().extracting(Incident::status).isEqualTo(Incident.OPEN);
    // A quiet service with a lasting error fault: most windows hold too few errors to be flagged.
    for (int i = 0; i < 10; i++) {
      assertThat(stepWithUnsettled(Set.of("email"))).as("unsettled window %d", i).isEmpty();
    }
    assertThat(step("email")).isEmpty();
    assertThat(stepWithUnsettled(Set.of("email"))).isEmpty();
    assertThat(step()).isEmpty();
    assertThat(stepWithUnsettled(Set.of("email"))).isEmpty();
    assertThat(step()).isEmpty();
    assertThat(tracker.current()).isNotNull();
    assertThat(step())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.id()).isEqualTo(opened.get(0).id());
              assertThat(i.status()).isEqualTo(Incident.RESOLVED);
            });
  }

  @Test
  void anUnsettledUnrelatedServiceDoesNotKeepTheIncidentOpen() {
    step("catalog");
    step("catalog");
    assertThat(stepWithUnsettled(Set.of("email"))).isEmpty();
    assertThat(stepWithUnsettled(Set.of("email"))).isEmpty();
    assertThat(stepWithUnsettled(Set.of("email")))
        .singleElement()
        .extracting(Incident::status)
        .isEqualTo(Incident.RESOLVED);
  }

  @Test
  void unrelatedBlipsInConsecutiveWindowsDoNotOpenAnIncident() {
    assertThat(step("email")).isEmpty();
    assertThat(step("payment")).isEmpty();
    assertThat(step("shipping")).isEmpty();
    assertThat(step()).isEmpty();
    assertThat(tracker.open()).isEmpty();
  }

  @Test
  void opensWhenOneServiceStaysAnomalousGrowsAndResolves() {
    assertThat(step("catalog")).isEmpty();
    List<Incident> opened = step("catalog", "recommendation");
    assertThat(opened)
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.status()).isEqualTo(Incident.OPEN);
              assertThat(i.startedAt()).isEqualTo(T0);
              assertThat(i.affectedServices()).containsExactly("catalog", "recommendation");
            });
    assertThat(step("catalog", "recommendation")).isEmpty(); // nothing new
    assertThat(step("catalog", "email")).isEmpty(); // not on a path to catalog: not part of it
    List<Incident> events = step("catalog", "frontend", "email");
    assertThat(events).hasSize(2);
    assertThat(events.get(0))
        .satisfies(
            i -> {
              assertThat(i.id()).isEqualTo(opened.get(0).id());
              assertThat(i.affectedServices())
                  .containsExactly("catalog", "frontend", "recommendation");
              assertThat(i.rootCauses()).extracting(RootCause::service).contains("frontend");
            });
    assertThat(events.get(1))
        .as("email, anomalous twice in a row on another branch, is an incident of its own")
        .satisfies(
            i -> {
              assertThat(i.id()).isNotEqualTo(opened.get(0).id());
              assertThat(i.status()).isEqualTo(Incident.OPEN);
              assertThat(i.affectedServices()).containsExactly("email");
            });
    assertThat(step()).isEmpty();
    assertThat(step("email")).isEmpty(); // keeps its own incident open, not the catalog one
    assertThat(step())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.id()).isEqualTo(opened.get(0).id());
              assertThat(i.status()).isEqualTo(Incident.RESOLVED);
              assertThat(i.resolvedAt()).isEqualTo(T0.plusSeconds(80));
            });
    assertThat(tracker.open()).extracting(Incident::id).containsExactly(events.get(1).id());
  }

  @Test
  void simultaneousFaultsInSeparateBranchesOpenSeparateIncidents() {
    step("catalog", "recommendation", "frontend", "email", "checkout");
    List<Incident> opened = step("catalog", "recommendation", "frontend", "email", "checkout");
    assertThat(opened).hasSize(2);
    assertThat(opened.get(0).affectedServices())
        .containsExactly("catalog", "frontend", "recommendation");
    assertThat(opened.get(0).topCause()).isEqualTo("catalog");
    assertThat(opened.get(1).affectedServices()).containsExactly("checkout", "email");
    assertThat(opened.get(1).topCause()).isEqualTo("checkout");
    assertThat(opened.get(0).id()).isNotEqualTo(opened.get(1).id());
    // frontend suffers from both and joins both; its anomalies alone keep neither open.
    assertThat(step("frontend"))
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.id()).isEqualTo(opened.get(1).id());
              assertThat(i.affectedServices()).containsExactly("checkout", "email", "frontend");
            });
    assertThat(step("frontend", "email")).isEmpty();
    assertThat(step("frontend", "email"))
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.id()).isEqualTo(opened.get(0).id());
              assertThat(i.status()).isEqualTo(Incident.RESOLVED);
            });
    assertThat(tracker.open()).extracting(Incident::id).containsExactly(opened.get(1).id());
  }

  @Test
  void anAnomalyBelowTheCausesOfTwoIncidentsMergesThem() {
    graph.addEdge("catalog", "db");
    graph.addEdge("email", "db");
    step("catalog");
    Incident first = step("catalog").get(0);
    step("catalog", "email");
    Incident second = step("catalog", "email").get(0);
    assertThat(second.id()).isNotEqualTo(first.id());
    List<Incident> events = step("catalog", "email", "db");
    assertThat(events)
        .anySatisfy(
            i -> {
              assertThat(i.id()).isEqualTo(second.id());
              assertThat(i.status()).isEqualTo(Incident.MERGED);
              assertThat(i.mergedInto()).isEqualTo(first.id());
            })
        .anySatisfy(
            i -> {
              assertThat(i.id()).isEqualTo(first.id());
              assertThat(i.status()).isEqualTo(Incident.OPEN);
              assertThat(i.affectedServices()).containsExactly("catalog", "db", "email");
            });
    assertThat(tracker.open()).singleElement().extracting(Incident::id).isEqualTo(first.id());
  }

  @Test
  void aReopenedIncidentNeedsItsOwnQuietWindowsToResolve() {
    step("catalog");
    String first = step("catalog").get(0).id();
    step();
    step();
    assertThat(step()).singleElement().extracting(Incident::status).isEqualTo(Incident.RESOLVED);
    step("catalog");
    String second = step("catalog").get(0).id();
    assertThat(second).isNotEqualTo(first).startsWith("inc-");
    assertThat(second.compareTo(first)).as("ids sort by time").isPositive();
    assertThat(step()).as("one quiet window after reopening").isEmpty();
    assertThat(tracker.current()).isNotNull();
  }

  @Test
  void anomaliesNoRankerCanExplainOpenNoIncident() {
    IncidentTracker nothing =
        new IncidentTracker(
            new RootCauseRanker() {
              @Override
              public List<RootCause> rank(IncidentEvidence incident) {
                return List.of();
              }

              @Override
              public String name() {
                return "nothing";
              }
            },
            (f, feature, window) -> Optional.empty(),
            2,
            3);
    for (int i = 0; i < 4; i++) {
      WindowFeatures w =
          new WindowFeatures(
              T0.plusSeconds(10L * i), Duration.ofSeconds(10), Map.of(), List.of(), List.of());
      Anomaly a = new Anomaly("shipping", w.start(), 0, List.of("test"), List.of(), List.of());
      assertThat(nothing.observe(w, List.of(a), graph)).isEmpty();
    }
    assertThat(nothing.current()).isNull();
  }
}

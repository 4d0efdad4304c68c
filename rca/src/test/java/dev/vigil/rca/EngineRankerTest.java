package dev.vigil.rca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.features.EdgeFeatures;
import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.WindowFeatures;
import dev.vigil.models.Anomaly;
import dev.vigil.models.FeatureDeviation;
import dev.vigil.models.MonitorConfig;
import dev.vigil.models.ServiceAnomalyMonitor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The live ranker: the offline engine over the incident's windows. */
class EngineRankerTest {
  private static final Duration W = Duration.ofSeconds(10);

  /** Self time (ms) of each service; latency = own self time + the latency of its callee. */
  private static final List<String> CHAIN =
      List.of("frontend", "checkout", "payment", "payment-db");

  private final Random random = new Random(7);

  /** A window of the chain, where {@code slow} gets {@code extra} ms of self time. */
  private WindowFeatures window(int i, String slow, double extra) {
    Map<String, ServiceFeatures> services = new HashMap<>();
    double downstream = 0;
    for (int k = CHAIN.size() - 1; k >= 0; k--) {
      String s = CHAIN.get(k);
      double self = 5 + random.nextGaussian() * 0.3 + (s.equals(slow) ? extra : 0);
      double total = self + downstream;
      services.put(
          s,
          new ServiceFeatures(
              s,
              200 + random.nextInt(20),
              0,
              0,
              total * 0.8,
              total,
              total * 1.2,
              self * 0.8,
              self,
              List.of("t" + i),
              List.of()));
      downstream = total;
    }
    List<EdgeFeatures> edges = new ArrayList<>();
    for (int k = 0; k + 1 < CHAIN.size(); k++) {
      edges.add(new EdgeFeatures(CHAIN.get(k), CHAIN.get(k + 1), 200, 0, 1, 1));
    }
    return new WindowFeatures(
        Instant.ofEpochSecond(1_700_000_000L + 10L * i), W, services, List.of(), edges);
  }

  @ParameterizedTest(name = "latency fault in {0}")
  @ValueSource(strings = {"checkout", "payment", "payment-db"})
  void ranksTheServiceWhoseOwnTimeChangedFirst(String faulty) {
    ServiceAnomalyMonitor monitor = new ServiceAnomalyMonitor(MonitorConfig.defaults());
    CallGraph graph = new CallGraph();
    IncidentTracker tracker = new IncidentTracker(RootCauseRanker.engine(), monitor::deviation);
    List<Incident> incidents = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      WindowFeatures w = window(i, i >= 60 ? faulty : null, 200);
      graph.update(w);
      List<Anomaly> anomalies = monitor.observe(w);
      List<Incident> opened = tracker.observe(w, anomalies, graph);
      if (i < 60) {
        assertThat(opened).as("no incident before the fault, window %d", i).isEmpty();
      }
      incidents.addAll(opened);
    }
    // One incident, emitted when opened and again whenever more services are affected.
    assertThat(incidents).isNotEmpty();
    assertThat(incidents).extracting(Incident::id).containsOnly(incidents.get(0).id());
    assertThat(incidents)
        .allSatisfy(i -> assertThat(i.rootCauses().get(0).service()).isEqualTo(faulty));
    Incident incident = incidents.get(incidents.size() - 1);
    assertThat(incident.affectedServices()).contains(faulty, "frontend");
    assertThat(incident.rootCauses().get(0).evidence())
        .extracting(Evidence::kind)
        .contains(Evidence.METRIC_CHANGE);
    assertThat(incident.rootCauses().get(0).path()).startsWith(faulty).endsWith("frontend");
    EvidenceLanguages.assertSameFactsInBothLanguages(incident.rootCauses().get(0).evidence());
    assertThat(incident.rootCauses().stream().mapToDouble(RootCause::score).sum())
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void flaggedMetricAndLogFeaturesAreEvidenceInBothLanguages() {
    List<WindowFeatures> windows = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      windows.add(window(i, null, 0));
    }
    CallGraph graph = new CallGraph();
    windows.forEach(graph::update);
    Instant t = windows.get(1).start();
    List<Anomaly> anomalies =
        List.of(
            new Anomaly(
                "payment",
                t,
                0.9,
                List.of("robust_z"),
                List.of(
                    new FeatureDeviation(
                        "metric:db.client.connection.count{state=used}:max", "1", 4, 10, 7.5),
                    new FeatureDeviation("log:error_rate", "1/s", 0, 0.7, 12.0)),
                List.of("4bf92f3577b34da6a3ce929d0e0e4736")));
    List<RootCause> ranked =
        RootCauseRanker.engine()
            .rank(
                new IncidentEvidence(
                    windows, anomalies, graph, (f, feature, size) -> java.util.Optional.empty()));
    assertThat(ranked).isNotEmpty();
    assertThat(ranked.get(0).service()).isEqualTo("payment");
    assertThat(ranked.get(0).anomalous()).isTrue();
    List<Evidence> evidence = ranked.get(0).evidence();
    assertThat(evidence)
        .filteredOn(e -> e.kind().equals(Evidence.METRIC_CHANGE))
        .extracting(Evidence::text)
        .anySatisfy(s -> assertThat(s).contains("Error-log rate", "payment", "0.700"))
        .anySatisfy(s -> assertThat(s).contains("db.client.connection.count{state=used} (max)"));
    EvidenceLanguages.assertSameFactsInBothLanguages(evidence);
  }

  @Test
  void aFlaggedServiceWithoutAChangeOfItsOwnNamesNoQuietCallee() {
    List<WindowFeatures> windows = List.of(window(0, null, 0), window(1, null, 0));
    CallGraph graph = new CallGraph();
    windows.forEach(graph::update);
    // checkout was flagged, but no series of it or of its callees changed beyond the thresholds
    // (as when its self-time rise was its callees' late spans): no service may be named.
    DeviationSource none = (f, feature, size) -> java.util.Optional.empty();
    List<Anomaly> anomalies =
        List.of(
            new Anomaly(
                "checkout",
                windows.get(1).start(),
                0.9,
                List.of("robust_z"),
                List.of(),
                List.of()));
    assertThat(RootCauseRanker.engine().rank(new IncidentEvidence(windows, anomalies, graph, none)))
        .isEmpty();
  }

  @Test
  void returnsOnlyCausesThatExplainTheFlaggedServices() {
    List<WindowFeatures> windows = List.of(window(0, null, 0), window(1, null, 0));
    CallGraph graph = new CallGraph();
    windows.forEach(graph::update);
    // checkout's self time deviates too, but only payment (which checkout calls) was flagged.
    DeviationSource deviations =
        (f, feature, size) ->
            feature.id().equals("self_p95_latency")
                    && (f.service().equals("checkout") || f.service().equals("payment"))
                ? java.util.Optional.of(
                    new FeatureDeviation(
                        feature.id(), "ms", 5, f.service().equals("checkout") ? 400 : 60, 50))
                : java.util.Optional.empty();
    List<Anomaly> anomalies =
        List.of(
            new Anomaly(
                "payment", windows.get(1).start(), 0.9, List.of("robust_z"), List.of(), List.of()));
    List<RootCause> ranked =
        RootCauseRanker.engine().rank(new IncidentEvidence(windows, anomalies, graph, deviations));
    assertThat(ranked)
        .extracting(RootCause::service)
        .contains("payment")
        .doesNotContain("checkout", "frontend");
    assertThat(ranked.stream().mapToDouble(RootCause::score).sum())
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aCallersErrorLogsDoNotOutrankTheFailingCalleeItLogsAbout() {
    List<WindowFeatures> windows = List.of(window(0, null, 0), window(1, null, 0));
    CallGraph graph = new CallGraph();
    windows.forEach(graph::update);
    DeviationSource deviations =
        (f, feature, size) ->
            feature.id().equals("self_error_rate") && f.service().equals("payment-db")
                ? java.util.Optional.of(new FeatureDeviation(feature.id(), "ratio", 0, 0.4, 40))
                : java.util.Optional.empty();
    Instant t = windows.get(1).start();
    List<Anomaly> anomalies =
        List.of(
            new Anomaly("payment-db", t, 0.9, List.of("robust_z"), List.of(), List.of()),
            new Anomaly(
                "payment",
                t,
                0.9,
                List.of("robust_z"),
                List.of(new FeatureDeviation("log:error_share", "1", 0, 0.85, 85)),
                List.of()));
    List<RootCause> ranked =
        RootCauseRanker.engine().rank(new IncidentEvidence(windows, anomalies, graph, deviations));
    assertThat(ranked.get(0).service()).isEqualTo("payment-db");
  }

  @Test
  void aSlowdownSmallerThanItsCalleesLatencyIsNamedWhenTheRequestsGainedIt() {
    // payment's own time rises 5 -> 13 ms; payment-db (5 ms) is untouched. Counted only past the
    // callee's whole p95 (as if every child span were missing), 3 ms would be left, under the 5 ms
    // a change needs, and the incident could not open until the slow burn had doubled.
    ServiceAnomalyMonitor monitor = new ServiceAnomalyMonitor(MonitorConfig.defaults());
    CallGraph graph = new CallGraph();
    IncidentTracker tracker = new IncidentTracker(RootCauseRanker.engine(), monitor::deviation);
    List<Incident> incidents = new ArrayList<>();
    int firstAnomalous = -1;
    for (int i = 0; i < 70 && incidents.isEmpty(); i++) {
      WindowFeatures w = window(i, i >= 60 ? "payment" : null, 8);
      graph.update(w);
      List<Anomaly> anomalies = monitor.observe(w);
      if (firstAnomalous < 0 && anomalies.stream().anyMatch(a -> a.service().equals("payment"))) {
        firstAnomalous = i;
      }
      incidents.addAll(tracker.observe(w, anomalies, graph));
    }
    assertThat(firstAnomalous).as("payment flagged").isGreaterThanOrEqualTo(60);
    assertThat(incidents).as("an incident while payment is flagged").isNotEmpty();
    assertThat(incidents.get(0).rootCauses().get(0).service()).isEqualTo("payment");
  }

  @Test
  void aSelfTimeRiseWithoutALatencyRiseIsItsCalleesMissingSpans() {
    EngineRanker.CalleeTime callees = new EngineRanker.CalleeTime(6, 0);
    FeatureDeviation self = new FeatureDeviation("self_p95_latency", "ms", 5, 11, 12);
    // The latency did not move: the 6 ms came from child spans that were not there.
    FeatureDeviation flat = new FeatureDeviation("p95_latency", "ms", 11, 11.2, 0.3);
    assertThat(EngineRanker.notInherited(self, java.util.Optional.of(flat), callees).actual())
        .isEqualTo(5);
    // The latency rose with it: the requests gained the time, all of it is the service's own.
    FeatureDeviation rose = new FeatureDeviation("p95_latency", "ms", 11, 17.5, 9);
    assertThat(EngineRanker.notInherited(self, java.util.Optional.of(rose), callees))
        .isEqualTo(self);
    // The callees rose as much as the latency: theirs, whatever the self time says.
    EngineRanker.CalleeTime slowCallees = new EngineRanker.CalleeTime(12, 6.5);
    assertThat(EngineRanker.notInherited(self, java.util.Optional.of(rose), slowCallees).actual())
        .isEqualTo(5);
    // No latency baseline: the worst case, every child span missing.
    assertThat(EngineRanker.notInherited(self, java.util.Optional.empty(), callees).actual())
        .isEqualTo(5);
  }
}

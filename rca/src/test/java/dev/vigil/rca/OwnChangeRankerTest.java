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

class OwnChangeRankerTest {
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
    IncidentTracker tracker = new IncidentTracker(RootCauseRanker.ownChange(), monitor::deviation);
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
  void metricAndLogEvidenceSaysTheSameInEnglishAndChinese() {
    List<Evidence> evidence =
        List.of(
            OwnChangeRanker.signalChange(
                "catalog",
                new FeatureDeviation(
                    "metric:rpc.server.duration{rpc.method=GetProduct}:p99", "ms", 22.3, 35.2, 7.5),
                List.of("4bf92f3577b34da6a3ce929d0e0e4736")),
            OwnChangeRanker.signalChange(
                "email", new FeatureDeviation("log:error_rate", "1/s", 0, 0.7, 12.0), List.of()),
            OwnChangeRanker.signalChange(
                "email", new FeatureDeviation("log:error_share", "1", 0.02, 0.01, -3.0), List.of()),
            OwnChangeRanker.metricChange(
                "payment", new FeatureDeviation("error_rate", "ratio", 0.01, 0.25, 9.0)),
            OwnChangeRanker.metricChange(
                "payment", new FeatureDeviation("self_p95_latency", "ms", 3.0, 205.0, 400.0)),
            OwnChangeRanker.metricChange(
                "catalog", new FeatureDeviation("p95_latency", "ms", 13.9, 280.1, 328.3)));
    EvidenceLanguages.assertSameFactsInBothLanguages(evidence);
    assertThat(evidence.get(0).textZh())
        .isEqualTo(
            "catalog 的指标 rpc.server.duration{rpc.method=GetProduct}（p99）从 22.30 ms 升至 35.20 ms（稳健 z 值 7.5）");
    assertThat(evidence.get(2).text()).contains("fell");
    assertThat(evidence.get(2).textZh()).contains("降至");
    assertThat(evidence.get(3).textZh()).isEqualTo("payment 的错误率从 1.0% 升至 25.0%（稳健 z 值 9.0）");
    assertThat(evidence.get(5).textZh())
        .isEqualTo("catalog 的 p95 延迟从 13.9 ms 升至 280.1 ms（稳健 z 值 328.3）");
  }
}

package dev.vigil.rca.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.rca.Evidence;
import dev.vigil.rca.EvidenceLanguages;
import dev.vigil.telemetry.LogEntry;
import dev.vigil.telemetry.Resource;
import dev.vigil.telemetry.TelemetryBatch;
import dev.vigil.trainingdata.synthetic.SyntheticIncident;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OfflineAnalyzerTest {

  @ParameterizedTest(name = "slow and busy service {0} of 7")
  @ValueSource(ints = {0, 1, 2, 4, 6})
  void ranksTheFaultyServiceFirstWithEvidence(int faulty) {
    SyntheticIncident incident = new SyntheticIncident(7, faulty, 50, true);
    AnalysisResult result =
        OfflineAnalyzer.defaults()
            .analyze(incident.batches(), Optional.of(SyntheticIncident.faultTime()));

    RankedCause top = result.rootCauses().get(0);
    assertThat(top.service()).isEqualTo(SyntheticIncident.name(faulty));
    assertThat(top.component()).isNotEmpty();
    assertThat(top.path()).startsWith(top.service()).endsWith(SyntheticIncident.name(0));
    assertThat(top.evidence())
        .extracting(Evidence::kind)
        .contains(Evidence.METRIC_CHANGE, Evidence.SLOW_OPERATION);
    // The entry service itself (0) is where the symptom surfaces: no propagation to tell.
    assertThat(top.evidence().stream().anyMatch(e -> e.kind().equals(Evidence.PROPAGATION)))
        .isEqualTo(faulty != 0);
    Evidence change = top.evidence().get(0);
    assertThat(change.after()).isGreaterThan(change.before());
    assertThat(change.unit()).isNotNull();
    assertThat(top.evidence().stream().flatMap(e -> e.traceIds().stream())).isNotEmpty();
    EvidenceLanguages.assertSameFactsInBothLanguages(top.evidence());
    assertThat(result.rootCauses().stream().mapToDouble(RankedCause::score).sum())
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void eachRankerFindsALatencyFault() {
    SyntheticIncident incident = new SyntheticIncident(7, 5, 50, true);
    IncidentData data =
        new OfflineAnalyzer(AnalysisConfig.defaults(), IncidentRanker.defaults())
            .prepare(incident.batches(), SyntheticIncident.faultTime());
    for (IncidentRanker r :
        List.of(
            IncidentRanker.robustChange(),
            IncidentRanker.personalizedPageRank(),
            IncidentRanker.causalEffect())) {
      assertThat(r.rank(data)).as(r.name()).isNotEmpty();
      assertThat(r.rank(data).get(0).service()).as(r.name()).isEqualTo("svc-5");
    }
  }

  @Test
  void worksOnMetricsAloneAndLocatesTheIncident() {
    SyntheticIncident incident = new SyntheticIncident(7, 3, 0, false);
    AnalysisResult result =
        OfflineAnalyzer.defaults().analyze(incident.batches(), Optional.empty());

    assertThat(result.located()).isTrue();
    assertThat(Duration.between(SyntheticIncident.faultTime(), result.incidentTime()).abs())
        .isLessThanOrEqualTo(Duration.ofSeconds(30));
    assertThat(result.rootCauses().get(0).service()).isEqualTo("svc-3");
    assertThat(result.rootCauses().get(0).component())
        .isEqualTo("process.cpu.utilization of svc-3");
  }

  @Test
  void emptyInputIsAnError() {
    assertThatThrownBy(() -> OfflineAnalyzer.defaults().analyze(List.of(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no spans and no metric points");
  }

  @Test
  void configurationIsCheckedWhenBuilt() {
    assertThatThrownBy(() -> AnalysisConfig.builder().abnormalQuantile(0).build())
        .hasMessageContaining("abnormalQuantile");
    assertThatThrownBy(() -> AnalysisConfig.builder().bin(Duration.ZERO).build())
        .hasMessageContaining("bin");
  }

  @Test
  void callGraphCarriesPerEdgeStatistics() {
    TelemetryIndex index =
        SeriesExtractor.extract(
            new SyntheticIncident(3, 1, 0, true).batches(), AnalysisConfig.DEFAULT_BIN);
    assertThat(index.callEdges())
        .extracting(CallEdge::caller, CallEdge::callee)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("svc-0", "svc-1"),
            org.assertj.core.groups.Tuple.tuple("svc-0", "svc-2"));
    CallEdge e = index.callEdges().get(0);
    assertThat(e.calls()).isEqualTo(SyntheticIncident.DURATION);
    assertThat(e.ratePerSecond()).isBetween(0.9, 1.1);
    assertThat(index.operationEdges()).hasSize(2);
  }

  @Test
  void aCallersRequestLatencyMetricIsASymptomOnceTheTracesShowItsOwnTime() {
    // svc-5 slows down; its caller svc-2 reports a request-duration metric (as a mesh proxy or
    // an HTTP server instrumentation does) that jumps far more than anything else, because it
    // holds svc-5's time. The traces show that svc-2's own time did not change.
    int faulty = 5;
    SyntheticIncident incident = new SyntheticIncident(7, faulty, 20, true);
    List<TelemetryBatch> batches = new ArrayList<>(incident.batches());
    List<dev.vigil.telemetry.MetricPoint> metrics = new ArrayList<>();
    java.util.Random random = new java.util.Random(5);
    for (int sec = 0; sec < SyntheticIncident.DURATION; sec += 10) {
      double seconds =
          0.005 + random.nextGaussian() * 0.0002 + (sec >= SyntheticIncident.FAULT_AT ? 9.5 : 0);
      metrics.add(
          new dev.vigil.telemetry.MetricPoint.Gauge(
              dev.vigil.telemetry.Resource.ofService(SyntheticIncident.name(2)),
              "http.server.request.duration",
              "s",
              java.util.Map.of(),
              0,
              (SyntheticIncident.START_MILLIS + sec * 1000L) * 1_000_000L,
              seconds,
              List.of()));
    }
    batches.add(new TelemetryBatch(List.of(), metrics, List.of()));

    AnalysisResult result =
        OfflineAnalyzer.defaults().analyze(batches, Optional.of(SyntheticIncident.faultTime()));

    assertThat(result.rootCauses().get(0).service()).isEqualTo(SyntheticIncident.name(faulty));
  }

  @ParameterizedTest(name = "code fault in service {0} of 7, seen only in its logs")
  @ValueSource(ints = {0, 2, 5})
  void aNewErrorLogTemplateLocatesAFaultTheSpansDoNotShow(int faulty) {
    SyntheticIncident incident = new SyntheticIncident(7, faulty, 0, false);
    List<TelemetryBatch> batches = new ArrayList<>(incident.batches());
    List<LogEntry> logs = new ArrayList<>();
    java.util.Random random = new java.util.Random(3);
    long start = SyntheticIncident.START_MILLIS;
    for (int sec = 0; sec < SyntheticIncident.DURATION; sec++) {
      for (int i = 0; i < 7; i++) {
        long nanos = (start + sec * 1000L) * 1_000_000L;
        String service = SyntheticIncident.name(i);
        // Severity is not set on the records: it is inferred from the line.
        logs.add(log(service, nanos, "12:00:00.000 INFO handled order " + random.nextInt(1000)));
        if (i == faulty && sec >= SyntheticIncident.FAULT_AT) {
          logs.add(
              log(service, nanos, "12:00:00.001 ERROR contacts not found for " + random.nextInt()));
        }
      }
    }
    batches.add(new TelemetryBatch(List.of(), List.of(), logs));
    AnalysisResult result =
        OfflineAnalyzer.defaults().analyze(batches, Optional.of(SyntheticIncident.faultTime()));

    RankedCause top = result.rootCauses().get(0);
    assertThat(top.service()).isEqualTo(SyntheticIncident.name(faulty));
    assertThat(top.evidence())
        .extracting(Evidence::text)
        .anySatisfy(t -> assertThat(t).contains("ERROR contacts not found for <*>", "from 0"));
    EvidenceLanguages.assertSameFactsInBothLanguages(top.evidence());
  }

  private static LogEntry log(String service, long nanos, String line) {
    return new LogEntry(
        Resource.ofService(service), nanos, 0, "", line, "", "", "", java.util.Map.of());
  }
}

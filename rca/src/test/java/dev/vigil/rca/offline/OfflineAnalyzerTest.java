package dev.vigil.rca.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.rca.Evidence;
import dev.vigil.rca.EvidenceLanguages;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OfflineAnalyzerTest {

  @ParameterizedTest(name = "slow and busy service {0} of 7")
  @ValueSource(ints = {1, 2, 4, 6})
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
        .contains(Evidence.METRIC_CHANGE, Evidence.SLOW_OPERATION, Evidence.PROPAGATION);
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
}

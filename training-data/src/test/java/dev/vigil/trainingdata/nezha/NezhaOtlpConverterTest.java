package dev.vigil.trainingdata.nezha;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NezhaOtlpConverterTest {
  static final Path DATA = Path.of("../../shared/datasets/nezha-trainticket");

  @Test
  void loadsThe45LabelledFaults() throws IOException {
    List<NezhaCase> cases = NezhaDataset.open(DATA).cases();
    assertThat(cases).hasSize(45);
    Map<String, Long> byType =
        cases.stream().collect(Collectors.groupingBy(NezhaCase::faultType, Collectors.counting()));
    assertThat(byType)
        .containsEntry("return", 11L)
        .containsEntry("exception", 13L)
        .containsEntry("cpu_contention", 7L)
        .containsEntry("network_delay", 14L);
    NezhaCase first = cases.get(0);
    assertThat(first.injectTime()).isEqualTo(Instant.parse("2023-01-29T08:43:04Z"));
    assertThat(first.service()).isEqualTo("ts-contacts-service");
    assertThat(first.id()).isEqualTo("2023-01-29T084304");
  }

  @Test
  void convertsAFaultToOtlpSpansAndGauges() throws IOException {
    NezhaDataset ds = NezhaDataset.open(DATA);
    NezhaRecording r = new NezhaOtlpConverter(ds).convert(ds.cases().get(0));
    assertThat(r.spans()).isGreaterThan(1000);
    assertThat(r.metricPoints()).isGreaterThan(1000);
    assertThat(r.skippedRows()).isZero();
    ResourceSpans rs = r.traces().getResourceSpans(0);
    assertThat(rs.getResource().getAttributesList())
        .anySatisfy(kv -> assertThat(kv.getKey()).isEqualTo("service.name"));
    assertThat(rs.getScopeSpans(0).getSpans(0).getTraceId().size()).isEqualTo(16);
    assertThat(
            r.metrics().getResourceMetricsList().stream()
                .flatMap(m -> m.getScopeMetricsList().stream())
                .flatMap(s -> s.getMetricsList().stream())
                .anyMatch(m -> m.getName().equals("CpuUsageRate") && m.getUnit().equals("%")))
        .isTrue();
  }

  @Test
  void convertsLogRowsToLogRecordsWithSeverityIdsAndTheContainerLine() throws IOException {
    NezhaDataset ds = NezhaDataset.open(DATA);
    NezhaRecording r = new NezhaOtlpConverter(ds).convert(ds.cases().get(1));
    assertThat(r.logRecords()).isGreaterThan(1000);
    assertThat(r.skippedRows()).isZero();
    List<LogRecord> records =
        r.logs().getResourceLogsList().stream()
            .flatMap(l -> l.getScopeLogsList().stream())
            .flatMap(s -> s.getLogRecordsList().stream())
            .toList();
    assertThat(records).hasSize(r.logRecords());
    LogRecord error =
        records.stream().filter(x -> x.getSeverityText().equals("ERROR")).findFirst().orElseThrow();
    assertThat(error.getSeverityNumberValue()).isEqualTo(17);
    assertThat(error.getBody().getStringValue()).contains(" ERROR ").doesNotEndWith("\n");
    assertThat(records).allSatisfy(x -> assertThat(x.getTimeUnixNano()).isPositive());
    assertThat(records).anySatisfy(x -> assertThat(x.getTraceId().size()).isEqualTo(16));
  }

  @Test
  void readsQuotedCsvCellsAndTheRuntimeJsonLine() {
    List<String> row =
        NezhaOtlpConverter.csvRow(
            "a,\"b,c\",\"{\"\"log\"\":\"\"12:00:01.000 WARN  x.Y#3 [m][msg]\\n\"\",\"\"stream\"\":\"\"stdout\"\"}\"");
    assertThat(row).hasSize(3);
    assertThat(row.get(1)).isEqualTo("b,c");
    assertThat(NezhaOtlpConverter.logLine(row.get(2)))
        .isEqualTo("12:00:01.000 WARN  x.Y#3 [m][msg]");
  }

  @Test
  void cutsPodNamesToServices() {
    assertThat(NezhaCase.serviceOfPod("ts-travel-service-64469b5b48-25zj6"))
        .isEqualTo("ts-travel-service");
    assertThat(NezhaOtlpConverter.unit("PodServerLatencyP90(s)")).isEqualTo("s");
    assertThat(NezhaOtlpConverter.metricName("PodServerLatencyP90(s)"))
        .isEqualTo("PodServerLatencyP90");
  }
}

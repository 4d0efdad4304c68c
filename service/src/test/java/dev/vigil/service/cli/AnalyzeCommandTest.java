package dev.vigil.service.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.util.JsonFormat;
import dev.vigil.service.Json;
import dev.vigil.trainingdata.nezha.NezhaCase;
import dev.vigil.trainingdata.nezha.NezhaDataset;
import dev.vigil.trainingdata.nezha.NezhaOtlpConverter;
import dev.vigil.trainingdata.nezha.NezhaRecording;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil analyze} end to end on one real fault of the Nezha Train Ticket data. */
class AnalyzeCommandTest {
  static final Path DATA = Path.of("../../shared/datasets/nezha-trainticket");

  @TempDir Path dir;

  @Test
  void ranksTheRootCauseOfARealCpuFaultFromOtlpFiles() throws Exception {
    NezhaDataset ds = NezhaDataset.open(DATA);
    NezhaCase fault =
        ds.cases().stream()
            .filter(c -> c.id().equals("2023-01-29T133154"))
            .findFirst()
            .orElseThrow();
    NezhaRecording r = new NezhaOtlpConverter(ds).convert(fault);
    Files.write(dir.resolve("traces.binpb"), r.traces().toByteArray());
    List<String> lines = new ArrayList<>();
    for (ResourceMetrics rm : r.metrics().getResourceMetricsList()) {
      lines.add(
          JsonFormat.printer()
              .omittingInsignificantWhitespace()
              .print(
                  io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest
                      .newBuilder()
                      .addResourceMetrics(rm)
                      .build()));
    }
    Files.write(dir.resolve("metrics.jsonl"), lines, StandardCharsets.UTF_8);

    String out =
        captured(
            () ->
                AnalyzeCommand.run(
                    List.of(
                        "--input",
                        dir.toString(),
                        "--incident-time",
                        fault.injectTime().toString(),
                        "--json")));

    JsonNode json = Json.MAPPER.readTree(out);
    assertThat(json.fieldNames()).toIterable().containsExactly("incidentTime", "rootCauses");
    assertThat(json.get("incidentTime").asText()).isEqualTo("2023-01-29T13:31:54Z");
    List<String> ranked = new ArrayList<>();
    json.get("rootCauses").forEach(c -> ranked.add(c.get("service").asText()));
    assertThat(ranked.subList(0, 3)).contains(fault.service());
    JsonNode top = json.get("rootCauses").get(0);
    assertThat(top.get("score").asDouble()).isPositive();
    assertThat(top.get("evidence")).isNotEmpty();
    assertThat(top.get("evidence").get(0).get("kind").asText()).isEqualTo("metric_change");
  }

  @Test
  void explainsAMissingInput() {
    assertThatThrownBy(() -> AnalyzeCommand.run(List.of("--json")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--input");
    assertThatThrownBy(() -> AnalyzeCommand.run(List.of("--input", "x", "--incident-time", "noon")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("ISO-8601");
  }

  /** What a command prints on standard output. */
  private static String captured(ThrowingCall call) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      assertThat(call.run()).isZero();
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @FunctionalInterface
  interface ThrowingCall {
    int run() throws Exception;
  }
}

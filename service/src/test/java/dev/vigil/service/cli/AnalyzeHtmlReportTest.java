package dev.vigil.service.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.trainingdata.nezha.NezhaCase;
import dev.vigil.trainingdata.nezha.NezhaDataset;
import dev.vigil.trainingdata.nezha.NezhaOtlpConverter;
import dev.vigil.trainingdata.nezha.NezhaRecording;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil analyze --html} on a real fault of the Nezha Train Ticket data. */
class AnalyzeHtmlReportTest {
  @TempDir Path dir;

  @Test
  void writesTheIncidentPageSelfContained() throws Exception {
    NezhaDataset ds = NezhaDataset.open(AnalyzeCommandTest.DATA);
    NezhaCase fault =
        ds.cases().stream()
            .filter(c -> c.id().equals("2023-01-29T133154"))
            .findFirst()
            .orElseThrow();
    NezhaRecording r = new NezhaOtlpConverter(ds).convert(fault);
    Files.write(dir.resolve("traces.binpb"), r.traces().toByteArray());
    Path html = dir.resolve("report.html");

    int exit =
        AnalyzeCommand.run(
            List.of(
                "--input",
                dir.toString(),
                "--incident-time",
                fault.injectTime().toString(),
                "--html",
                html.toString()));

    assertThat(exit).isZero();
    String page = Files.readString(html, StandardCharsets.UTF_8);
    assertThat(page)
        .contains("window.VIGIL_REPORT = ", "\"causes\":[{\"service\":", "function incidentPage");
    assertThat(page).doesNotContain("src=\"/ui/", "href=\"/ui/");
  }
}

package dev.vigil.service.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rca.Evidence;
import dev.vigil.rca.offline.AnalysisResult;
import dev.vigil.rca.offline.RankedCause;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentReportTest {
  @Test
  void theReportIsSelfContainedAndTelemetryCannotBreakOutOfItsData() throws Exception {
    Evidence hostile =
        new Evidence(
            Evidence.SLOW_OPERATION,
            "slowest operation: </script><script>alert(1)</script>",
            "最慢的操作",
            "</script>",
            "ms",
            1.0,
            2.0,
            List.of("4bf92f3577b34da6a3ce929d0e0e4736"));
    AnalysisResult result =
        new AnalysisResult(
            Instant.parse("2026-03-02T09:20:00Z"),
            true,
            3,
            10,
            List.of(
                new RankedCause("db", "SELECT", 0.7, List.of("db", "api", "web"), List.of(hostile)),
                new RankedCause("api", "", 0.3, List.of("api", "web"), List.of())));

    String html = IncidentReport.html(IncidentReport.view(result));

    assertThat(html).doesNotContain("src=\"/ui/", "href=\"/ui/");
    assertThat(html).contains("window.VIGIL_REPORT = ", "\"service\":\"db\"", "\"score\":0.7");
    assertThat(html).contains("[\"api\",\"db\"]", "[\"web\",\"api\"]");
    String data = html.substring(html.indexOf("window.VIGIL_REPORT"), html.indexOf(";</script>"));
    assertThat(data).doesNotContain("</script").contains("\\u003c/script\\u003e");
    assertThat(html).contains("function incidentPage");
  }
}

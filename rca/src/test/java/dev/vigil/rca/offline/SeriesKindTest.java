package dev.vigil.rca.offline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which metrics are request latencies: a symptom once the traces show a service's own time. */
class SeriesKindTest {

  @Test
  void requestLatencyMetricsOfATracedServiceAreSymptoms() {
    for (String name :
        new String[] {
          "http.server.request.duration",
          "http.client.request.duration{http.request.method=GET}",
          "rpc.server.duration (p99)",
          "db.client.operation.duration",
          "PodServerLatencyP99",
          "PodClientLatencyP90",
          "request_latency_seconds",
          "response_duration_ms"
        }) {
      assertThat(SeriesKind.ofMetric(name, true)).as(name).isEqualTo(SeriesKind.LATENCY_METRIC);
      assertThat(SeriesKind.ofMetric(name, false)).as(name).isEqualTo(SeriesKind.RESOURCE);
    }
  }

  @Test
  void otherDurationsAndClientMetricsStayResources() {
    for (String name :
        new String[] {
          "jvm.gc.duration",
          "process.cpu.time",
          "db.client.connection.count{state=used}",
          "CpuUsageRate",
          "NetworkReceiveBytes",
          "PodWorkload",
          "queue.latency.budget"
        }) {
      assertThat(SeriesKind.ofMetric(name, true)).as(name).isEqualTo(SeriesKind.RESOURCE);
    }
  }
}

package dev.vigil.rca.offline;

/** What a series measures, and whether a change in it is the service's own or inherited. */
public enum SeriesKind {
  /** A metric the service reports (CPU, memory, network, queue depth, ...). */
  RESOURCE("resource", "资源", true, false),
  /**
   * A metric of request latency as the service measures it ({@code http.server.request.duration},
   * {@code rpc.client.duration}, a mesh proxy's client or server latency percentiles): the time of
   * requests served or calls made, which includes the callees' time, so a symptom like {@link
   * #LATENCY}, once traces show what the service spent itself ({@link #SELF_TIME}). Without traces
   * such a metric stays a {@link #RESOURCE}, the best evidence there is.
   */
  LATENCY_METRIC("latency metric", "延迟指标", false, true),
  /** Mean time an operation spent in the service itself, excluding calls to other services. */
  SELF_TIME("self time", "自身耗时", true, true),
  /** Mean latency of an operation, including downstream calls: a symptom, not a cause. */
  LATENCY("latency", "延迟", false, true),
  /** Share of an operation's requests that failed without a failing downstream call. */
  OWN_ERRORS("own error rate", "自身错误率", true, true),
  /**
   * Mean time between a caller's request and the callee starting to serve it, plus the way back
   * (the caller's client span minus the callee's server span): network and queueing on the edge.
   */
  CALL_GAP("call gap", "调用间隔", true, true),
  /**
   * Share of a caller's calls into the service (its client spans) that have no span of the service
   * below them: refused before they reached it, or the service is down. The service's own, as the
   * caller did make the call.
   */
  UNREACHED_CALLS("calls not reaching it", "未到达的调用", true, true),
  /**
   * What the service logs: lines per minute of one log template (see {@code
   * dev.vigil.features.LogTemplateMiner}), or of its error lines. A template that appears or
   * vanishes is the service's own doing, and either direction counts.
   */
  LOG("log", "日志", true, false);

  /**
   * The kind of a metric's series: {@link #LATENCY_METRIC} for a request-latency metric of a
   * service whose traces show its own time, else {@link #RESOURCE}.
   *
   * @param component the metric's name, optionally followed by its attributes or statistic
   * @param traced whether the service's spans show its own time ({@link #SELF_TIME})
   */
  public static SeriesKind ofMetric(String component, boolean traced) {
    return traced && isRequestLatency(component) ? LATENCY_METRIC : RESOURCE;
  }

  /**
   * Whether a metric name says it measures the latency of requests served or calls made, by its
   * words as the OpenTelemetry semantic conventions and common exporters spell them: a duration or
   * latency word together with a request word ({@code http.server.request.duration}, {@code
   * rpc.client.duration}, {@code db.client.operation.duration}, {@code PodServerLatencyP99}).
   * Durations of other things ({@code jvm.gc.duration}, {@code process.cpu.time}) are not.
   */
  static boolean isRequestLatency(String component) {
    int brace = component.indexOf('{');
    String name = brace < 0 ? component : component.substring(0, brace);
    java.util.Set<String> words = new java.util.HashSet<>();
    for (String w : name.split("(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+")) {
      if (!w.isEmpty()) {
        words.add(w.toLowerCase(java.util.Locale.ROOT));
      }
    }
    boolean latency = words.contains("latency") || words.contains("duration");
    boolean request =
        words.contains("client")
            || words.contains("server")
            || words.contains("request")
            || words.contains("requests")
            || words.contains("rpc")
            || words.contains("http")
            || words.contains("response");
    return latency && request;
  }

  private final String label;
  private final String labelZh;
  private final boolean own;
  private final boolean harmfulOnlyWhenUp;

  SeriesKind(String label, String labelZh, boolean own, boolean harmfulOnlyWhenUp) {
    this.label = label;
    this.labelZh = labelZh;
    this.own = own;
    this.harmfulOnlyWhenUp = harmfulOnlyWhenUp;
  }

  public String label() {
    return label;
  }

  /** The label in Chinese. */
  public String labelZh() {
    return labelZh;
  }

  /**
   * Whether the series comes from a metric (sampled at its own times) rather than spans or logs.
   */
  public boolean metric() {
    return this == RESOURCE || this == LATENCY_METRIC;
  }

  /** Whether a change in this series is the service's own rather than inherited from callees. */
  public boolean own() {
    return own;
  }

  /**
   * Whether only an increase counts. Span-derived series have a known meaning (latency, failures);
   * metrics have none, so a change either way counts.
   */
  public boolean harmfulOnlyWhenUp() {
    return harmfulOnlyWhenUp;
  }
}

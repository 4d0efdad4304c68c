package dev.vigil.rca.offline;

/** What a series measures, and whether a change in it is the service's own or inherited. */
public enum SeriesKind {
  /** A metric the service reports (CPU, memory, network, its own latency percentiles, ...). */
  RESOURCE("resource", "资源", true, false),
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

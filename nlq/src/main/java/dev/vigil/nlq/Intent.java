package dev.vigil.nlq;

/** What a question asks for; each maps to a fixed set of tools in the offline planner. */
public enum Intent {
  /** Why is X slow / failing; what is the root cause now. */
  ROOT_CAUSE,
  /** Which services are affected and how badly. */
  IMPACT,
  /** Is X healthy. */
  HEALTH,
  /** What changed in the last N minutes. */
  CHANGES,
  /** X now compared with an hour ago or yesterday. */
  COMPARE,
  /** Show slow or failed traces of X. */
  TRACES,
  /** Explain alert or incident id. */
  EXPLAIN,
  /** What should I check next. */
  NEXT_STEPS,
  /** Who calls X, what X calls. */
  NEIGHBOURS;

  /** The lower-case name used in answers and JSON. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

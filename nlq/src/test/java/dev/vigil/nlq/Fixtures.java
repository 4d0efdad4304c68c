package dev.vigil.nlq;

import dev.vigil.features.ServiceFeatures;
import dev.vigil.rca.Evidence;
import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One incident in a small shop, as the live ranker would report it, and the context around it. */
final class Fixtures {
  static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  static final Set<String> SERVICES =
      Set.of("frontend", "catalog", "catalog-db", "cart", "payment", "shard-7");
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String OTHER_TRACE = "0af7651916cd43dd8448eb211c80319c";

  private Fixtures() {}

  /** inc-7: catalog-db's self time rose from 3.0 ms to 205.0 ms, ten minutes ago, still open. */
  static Incident incident() {
    return incident(NOW.minusSeconds(600));
  }

  /** inc-7, started at the given time. */
  static Incident incident(Instant started) {
    Evidence change =
        new Evidence(
            Evidence.METRIC_CHANGE,
            "self-time p95 (excluding downstream calls) of catalog-db rose from 3.0 ms to 205.0 ms"
                + " (robust z 400.0)",
            "catalog-db 的自身耗时 p95（不含下游调用）从 3.0 ms 升至 205.0 ms（稳健 z 值 400.0）",
            "self_p95_latency",
            "ms",
            3.0,
            205.0,
            List.of());
    Evidence slowOperation =
        new Evidence(
            Evidence.SLOW_OPERATION,
            "slowest operation of catalog-db: SELECT shelf 42, p95 210.0 ms (205.0 ms in catalog-db"
                + " itself), 1200 calls, 0 errors",
            "catalog-db 最慢的操作：SELECT shelf 42，p95 210.0 ms（catalog-db 自身 205.0 ms），1200 次调用，0 个错误",
            "SELECT shelf 42",
            "ms",
            null,
            210.0,
            List.of());
    Evidence traces = Evidence.exampleTraces("catalog-db", List.of(TRACE));
    return new Incident(
        "inc-7",
        Incident.OPEN,
        started,
        started.plusSeconds(20),
        null,
        List.of("catalog", "catalog-db", "frontend"),
        List.of(
            new RootCause(
                "catalog-db",
                0.8,
                true,
                List.of("catalog-db", "catalog", "frontend"),
                List.of(change, slowOperation, traces)),
            new RootCause("catalog", 0.2, true, List.of("catalog", "frontend"), List.of())),
        List.of());
  }

  /** The context with these incidents, and cart's latest window: 120 requests, p95 9.5 ms. */
  static DiagnosticContext context(List<Incident> incidents) {
    ServiceFeatures cart =
        new ServiceFeatures("cart", 120, 0, 0, 4, 9.5, 12, 2, 3, List.of(), List.of());
    return new DiagnosticContext(NOW, SERVICES, incidents, Map.of("cart", cart));
  }

  static DiagnosticContext withIncident() {
    return context(List.of(incident()));
  }
}

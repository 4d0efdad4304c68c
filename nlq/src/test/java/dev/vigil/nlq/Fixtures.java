package dev.vigil.nlq;

import dev.vigil.features.EdgeFeatures;
import dev.vigil.features.OperationFeatures;
import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.WindowFeatures;
import dev.vigil.rca.CallGraph;
import dev.vigil.rca.Evidence;
import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small shop (frontend calls catalog and cart; catalog calls catalog-db) with two hours of
 * 10-second windows, and one incident: catalog-db's self time rose from 3.0 ms to 205.0 ms ten
 * minutes ago, and its callers got slower with it.
 */
final class Fixtures {
  static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  static final Duration WINDOW = Duration.ofSeconds(10);
  static final Instant FAULT = NOW.minusSeconds(600);
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String OTHER_TRACE = "0af7651916cd43dd8448eb211c80319c";
  static final String FAILED_TRACE = "5b8aa5a2d2c872e8321cf37308d69df2";

  private Fixtures() {}

  /** inc-7: catalog-db's self time rose from 3.0 ms to 205.0 ms, ten minutes ago, still open. */
  static Incident incident() {
    return incident(FAULT);
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
            "slowest operation of catalog-db: SELECT shelf, p95 210.0 ms (205.0 ms in catalog-db"
                + " itself), 1200 calls, 0 errors",
            "catalog-db 最慢的操作：SELECT shelf，p95 210.0 ms（catalog-db 自身 205.0 ms），1200 次调用，0 个错误",
            "SELECT shelf",
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
                0.76,
                true,
                List.of("catalog-db", "catalog", "frontend"),
                List.of(change, slowOperation, traces)),
            new RootCause("catalog", 0.24, true, List.of("catalog", "frontend"), List.of())),
        List.of());
  }

  /** Two hours of windows; from {@link #FAULT} catalog-db, catalog and frontend are slow. */
  static List<WindowFeatures> history() {
    List<WindowFeatures> out = new ArrayList<>();
    for (Instant t = NOW.minus(Duration.ofHours(2)); t.isBefore(NOW); t = t.plus(WINDOW)) {
      boolean slow = !t.isBefore(FAULT);
      boolean first = t.equals(FAULT);
      double db = slow ? 205 : 3;
      Map<String, ServiceFeatures> s = new LinkedHashMap<>();
      s.put("frontend", features("frontend", 100, 0, 20 + db, first ? TRACE : null, 20 + db + 5));
      s.put("catalog", features("catalog", 100, 0, 8 + db, null, 0));
      s.put("catalog-db", features("catalog-db", 100, 0, db, first ? TRACE : null, 212.5));
      s.put("cart", features("cart", 40, 0, 9.5, null, 0));
      s.put(
          "payment",
          new ServiceFeatures(
              "payment",
              20,
              1,
              1,
              20,
              30,
              40,
              20,
              30,
              List.of(),
              List.of(FAILED_TRACE),
              Map.of(FAILED_TRACE, 31.5)));
      List<EdgeFeatures> edges =
          List.of(
              new EdgeFeatures("frontend", "catalog", 100, 0, 5 + db, 8 + db),
              new EdgeFeatures("frontend", "cart", 40, 0, 4, 9.5),
              new EdgeFeatures("frontend", "payment", 20, 1, 20, 30),
              new EdgeFeatures("catalog", "catalog-db", 100, 0, db - 1, db));
      List<OperationFeatures> ops =
          List.of(
              new OperationFeatures("catalog-db", "SELECT shelf", 100, 0, db - 1, db, db, ""),
              new OperationFeatures("frontend", "GET /product/{id}", 100, 0, 20, 20 + db, 20, ""));
      out.add(new WindowFeatures(t, WINDOW, s, ops, edges));
    }
    return out;
  }

  private static ServiceFeatures features(
      String service, long requests, long errors, double p95, String slowTrace, double millis) {
    return new ServiceFeatures(
        service,
        requests,
        errors,
        errors,
        p95 / 2,
        p95,
        p95 * 1.2,
        p95 / 3,
        p95 / 2,
        slowTrace == null ? List.of() : List.of(slowTrace),
        List.of(),
        slowTrace == null ? Map.of() : Map.of(slowTrace, millis));
  }

  /** The state with these incidents. */
  static DiagnosticContext state(List<Incident> incidents) {
    List<WindowFeatures> history = history();
    CallGraph graph = new CallGraph();
    history.forEach(graph::update);
    return new DiagnosticContext(
        NOW,
        graph.services(),
        incidents,
        history,
        graph,
        List.of(
            new AlertNote(
                "alert-3",
                "catalog-db",
                "firing",
                FAULT.plusSeconds(20),
                0.9,
                List.of("self_p95_latency"))));
  }

  static DiagnosticContext withIncident() {
    return state(List.of(incident()));
  }

  static DiagnosticContext healthy() {
    return state(List.of());
  }

  /**
   * inc-7 with a first piece of evidence about catalog-db's slowest operation whose name is the
   * given text, as telemetry written by anyone who can send a request would carry it.
   */
  static Incident withOperationNamed(String operation) {
    Incident base = incident();
    RootCause top = base.rootCauses().get(0);
    List<Evidence> evidence = new ArrayList<>(top.evidence());
    evidence.add(
        0,
        new Evidence(
            Evidence.SLOW_OPERATION,
            "slowest operation of catalog-db: " + operation + ", p95 210.0 ms",
            "catalog-db 最慢的操作：" + operation + "，p95 210.0 ms",
            operation,
            "ms",
            null,
            210.0,
            List.of()));
    return new Incident(
        base.id(),
        base.status(),
        base.startedAt(),
        base.detectedAt(),
        base.resolvedAt(),
        base.affectedServices(),
        List.of(
            new RootCause(top.service(), top.score(), true, top.path(), evidence),
            base.rootCauses().get(1)),
        List.of());
  }
}

package dev.vigil.service.ui;

import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.WindowFeatures;
import dev.vigil.models.Anomaly;
import dev.vigil.models.FeatureDeviation;
import dev.vigil.models.ServiceFeatureSchema.Feature;
import dev.vigil.nlq.LiveState;
import dev.vigil.rca.Evidence;
import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON an incident page is drawn from: the incident, its ranked causes with their evidence, the
 * call graph around it (root cause and propagation path marked), the time series of the root
 * cause's and the symptom's top features with the anomaly window, and the example traces. The live
 * page and the HTML report render the same document with the same script.
 */
public final class IncidentView {

  /** How much time before the incident its series show. */
  public static final Duration DEFAULT_LEAD = Duration.ofMinutes(10);

  private IncidentView() {}

  /** The view of a live incident. */
  public static Map<String, Object> of(Incident i, LiveState state) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", i.id());
    out.put("status", i.status());
    out.put("startedAt", i.startedAt().toString());
    out.put("detectedAt", i.detectedAt().toString());
    out.put("resolvedAt", i.resolvedAt() == null ? null : i.resolvedAt().toString());
    out.put("affected", i.affectedServices());
    out.put("causes", causes(i.rootCauses()));
    out.put("services", state.graph().services());
    out.put("edges", state.graph().edges());
    Instant end = i.resolvedAt() != null ? i.resolvedAt() : state.now();
    List<WindowFeatures> windows =
        state.windows(i.startedAt().minus(DEFAULT_LEAD), end.plusSeconds(1));
    List<Map<String, Object>> series = new ArrayList<>();
    if (!i.rootCauses().isEmpty()) {
      RootCause top = i.rootCauses().get(0);
      series.add(
          series("root cause", top.service(), feature(i, top.service(), top), windows, i, end));
      List<String> path = top.path();
      String symptom = path.isEmpty() ? null : path.get(path.size() - 1);
      if (symptom != null && !symptom.equals(top.service())) {
        series.add(series("symptom", symptom, feature(i, symptom, null), windows, i, end));
      }
    }
    out.put("series", series);
    return out;
  }

  /** The causes as JSON: service, score, path, evidence. */
  public static List<Map<String, Object>> causes(List<RootCause> causes) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (RootCause c : causes) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("service", c.service());
      m.put("score", c.score());
      m.put("path", c.path());
      List<Map<String, Object>> evidence = new ArrayList<>();
      for (Evidence e : c.evidence()) {
        Map<String, Object> em = new LinkedHashMap<>();
        em.put("kind", e.kind());
        em.put("text", e.text());
        em.put("textZh", e.textZh());
        em.put("subject", e.subject());
        em.put("unit", e.unit());
        em.put("before", e.before());
        em.put("after", e.after());
        em.put("traceIds", e.traceIds());
        evidence.add(em);
      }
      m.put("evidence", evidence);
      out.add(m);
    }
    return out;
  }

  /** The service's strongest driver among the span features, else its latency. */
  private static Feature feature(Incident i, String service, RootCause cause) {
    for (Anomaly a : i.anomalies()) {
      if (a.service().equals(service)) {
        for (FeatureDeviation d : a.drivers()) {
          Feature f = byId(d.feature());
          if (f != null) {
            return f;
          }
        }
      }
    }
    if (cause != null) {
      for (Evidence e : cause.evidence()) {
        Feature f = e.subject() == null ? null : byId(e.subject());
        if (f != null) {
          return f;
        }
      }
    }
    return Feature.P95_LATENCY;
  }

  private static Feature byId(String id) {
    for (Feature f : Feature.values()) {
      if (f.id().equals(id)) {
        return f;
      }
    }
    return null;
  }

  private static Map<String, Object> series(
      String role,
      String service,
      Feature f,
      List<WindowFeatures> windows,
      Incident i,
      Instant end) {
    List<List<Object>> points = new ArrayList<>();
    for (WindowFeatures w : windows) {
      ServiceFeatures sf = w.services().get(service);
      if (sf != null && sf.requests() > 0) {
        double v = f.read(sf, w.size());
        if (!Double.isNaN(v)) {
          points.add(List.of(w.end().toEpochMilli(), f.unit().equals("ratio") ? 100 * v : v));
        }
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", role);
    m.put("service", service);
    m.put("feature", f.id());
    m.put("unit", f.unit().equals("ratio") ? "%" : f.unit());
    m.put("points", points);
    m.put("window", List.of(i.startedAt().toEpochMilli(), end.toEpochMilli()));
    return m;
  }

  /** The incident list entry: id, status, times, affected, top cause and its confidence. */
  public static Map<String, Object> summary(Incident i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", i.id());
    m.put("status", i.status());
    m.put("startedAt", i.startedAt().toString());
    m.put("resolvedAt", i.resolvedAt() == null ? null : i.resolvedAt().toString());
    m.put("affected", i.affectedServices());
    m.put("rootCause", i.rootCauses().isEmpty() ? null : i.rootCauses().get(0).service());
    m.put("confidence", i.rootCauses().isEmpty() ? null : i.rootCauses().get(0).score());
    return m;
  }

  /** Services of the open incidents: affected ones, for colouring the topology. */
  public static Set<String> anomalous(List<Incident> incidents) {
    Set<String> out = new LinkedHashSet<>();
    incidents.stream()
        .filter(x -> x.status().equals(Incident.OPEN))
        .forEach(x -> out.addAll(x.affectedServices()));
    return out;
  }
}

package dev.vigil.service.pipeline;

import dev.vigil.rca.Evidence;
import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import dev.vigil.service.Json;
import dev.vigil.service.alerting.Alert;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints alerts and incidents, either for people or as JSON lines (one object per line, each with a
 * {@code type}). Thread-safe: every line is printed whole.
 */
public final class EventPrinter implements PipelineListener {
  private final PrintStream out;
  private final boolean json;

  public EventPrinter(PrintStream out, boolean json) {
    this.out = out;
    this.json = json;
  }

  /** Prints any other event: {@code type} plus fields. */
  public synchronized void event(String type, Map<String, ?> fields, String text) {
    if (json) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("type", type);
      line.putAll(fields);
      out.println(Json.write(line));
    } else {
      out.println(text);
    }
    out.flush();
  }

  @Override
  public synchronized void onAlert(Alert a) {
    if (json) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("type", "alert");
      line.put("event", a.event());
      line.put("status", a.status());
      line.put("service", a.service());
      line.put("id", a.id());
      line.put("fingerprint", a.fingerprint());
      line.put("severity", a.severity());
      line.put("labels", a.labels());
      line.put("silenced", a.silenced());
      line.put("at", a.at());
      if (a.incidentId() != null) {
        line.put("incident", a.incidentId());
      }
      line.put("grade", a.grade());
      line.put("detectors", a.detectors());
      line.put("drivers", a.drivers());
      line.put("annotations", a.annotations());
      out.println(Json.write(line));
    } else {
      out.printf(
          Locale.ROOT,
          "[%s] %s %-10s %-16s %-8s%s %s%n",
          a.at(),
          "predictive".equals(a.labels().get("kind")) ? "PREDICTIVE ALERT" : "ALERT",
          a.event(),
          a.service(),
          a.severity(),
          a.silenced() ? " (silenced)" : "",
          a.status().equals(Alert.FIRING)
              ? a.annotations().getOrDefault("summary", "")
              : "resolved" + resolution(a));
    }
    out.flush();
  }

  private static String resolution(Alert a) {
    String r = a.annotations().get("resolution");
    return r == null ? "" : " (" + r.replace('_', ' ') + ")";
  }

  @Override
  public synchronized void onIncident(Incident i) {
    if (json) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("type", "incident");
      line.put("id", i.id());
      line.put("status", i.status());
      line.put("startedAt", i.startedAt());
      line.put("detectedAt", i.detectedAt());
      if (i.resolvedAt() != null) {
        line.put("resolvedAt", i.resolvedAt());
      }
      line.put("affectedServices", i.affectedServices());
      line.put("rootCauses", i.rootCauses());
      if (i.mergedInto() != null) {
        line.put("mergedInto", i.mergedInto());
      }
      out.println(Json.write(line));
      out.flush();
      return;
    }
    if (i.status().equals(Incident.RESOLVED)) {
      out.printf(
          Locale.ROOT,
          "[%s] INCIDENT %s resolved (root cause %s)%n",
          i.resolvedAt(),
          i.id(),
          i.topCause());
      out.flush();
      return;
    }
    if (i.status().equals(Incident.MERGED)) {
      out.printf(
          Locale.ROOT, "[%s] INCIDENT %s merged into %s%n", i.resolvedAt(), i.id(), i.mergedInto());
      out.flush();
      return;
    }
    out.printf(
        Locale.ROOT,
        "[%s] INCIDENT %s opened (started %s), affected: %s%n",
        i.detectedAt(),
        i.id(),
        i.startedAt(),
        String.join(", ", i.affectedServices()));
    List<RootCause> top = i.rootCauses().stream().limit(3).toList();
    for (int k = 0; k < top.size(); k++) {
      RootCause r = top.get(k);
      out.printf(Locale.ROOT, "    %d. %-16s score %.2f%n", k + 1, r.service(), r.score());
      if (k == 0) {
        for (Evidence e : r.evidence()) {
          out.println("       - " + e.text());
        }
      }
    }
    out.flush();
  }
}

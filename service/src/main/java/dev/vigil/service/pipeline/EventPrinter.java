package dev.vigil.service.pipeline;

import dev.vigil.models.FeatureDeviation;
import dev.vigil.rca.Evidence;
import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import dev.vigil.service.Json;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

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
      line.put("status", a.status());
      line.put("service", a.service());
      line.put("at", a.at());
      line.put("grade", a.grade());
      line.put("detectors", a.detectors());
      line.put("drivers", a.drivers());
      out.println(Json.write(line));
    } else if (a.status().equals(Alert.FIRING)) {
      String drivers =
          a.drivers().stream()
              .limit(2)
              .map(EventPrinter::describe)
              .collect(Collectors.joining(", "));
      out.printf(
          Locale.ROOT,
          "[%s] ALERT firing    %-16s grade %.2f  %s%n",
          a.at(),
          a.service(),
          a.grade(),
          drivers);
    } else {
      out.printf(Locale.ROOT, "[%s] ALERT resolved  %s%n", a.at(), a.service());
    }
    out.flush();
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
      out.println(Json.write(line));
      out.flush();
      return;
    }
    if (i.status().equals(Incident.RESOLVED)) {
      out.printf(Locale.ROOT, "[%s] INCIDENT %s resolved%n", i.resolvedAt(), i.id());
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

  private static String describe(FeatureDeviation d) {
    return d.unit().equals("ratio")
        ? String.format(
            Locale.ROOT, "%s %.1f%% -> %.1f%%", d.feature(), 100 * d.baseline(), 100 * d.actual())
        : String.format(
            Locale.ROOT, "%s %.1f -> %.1f %s", d.feature(), d.baseline(), d.actual(), d.unit());
  }
}

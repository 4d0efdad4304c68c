package dev.vigil.service.alerting;

import dev.vigil.models.Anomaly;
import dev.vigil.models.FeatureDeviation;
import dev.vigil.rca.Evidence;
import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The words of an alert: its kind, summary and the description with the incident's root cause. */
final class AlertText {
  static final String ALERT_NAME = "VigilServiceAnomaly";
  static final int MAX_EVIDENCE = 2;

  /**
   * {@code latency}, {@code errors}, {@code traffic} or {@code anomaly}, from the feature that
   * changed most.
   */
  static String kind(Anomaly a) {
    if (a.drivers().isEmpty()) {
      return "anomaly";
    }
    String f = a.drivers().get(0).feature().toLowerCase(Locale.ROOT);
    if (f.contains("error") || f.contains("fail")) {
      return "errors";
    }
    if (f.contains("latency") || f.contains("duration") || f.contains("time")) {
      return "latency";
    }
    if (f.contains("rate") || f.contains("request")) {
      return "traffic";
    }
    return "anomaly";
  }

  /** The newest open incident that counts this service as affected, or null. */
  static Incident incidentOf(String service, List<Incident> openIncidents) {
    Incident found = null;
    for (Incident i : openIncidents) {
      if (i.affectedServices().contains(service)) {
        found = i;
      }
    }
    return found;
  }

  Map<String, String> annotations(String service, Anomaly a, Incident incident) {
    return annotations(service, a, incident, Map.of());
  }

  /** Summary from the anomaly (or kept from before), description and incident from the incident. */
  Map<String, String> annotations(
      String service, Anomaly a, Incident incident, Map<String, String> before) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("summary", a != null ? summary(service, a) : before.getOrDefault("summary", service));
    out.put("description", description(service, incident));
    if (incident != null) {
      out.put("incident", incident.id());
      if (incident.topCause() != null) {
        out.put("root_cause", incident.topCause());
      }
    }
    return out;
  }

  private static String summary(String service, Anomaly a) {
    String drivers =
        a.drivers().stream().limit(2).map(AlertText::describe).collect(Collectors.joining(", "));
    return String.format(
        Locale.ROOT,
        "%s is anomalous (grade %.2f)%s",
        service,
        a.grade(),
        drivers.isEmpty() ? "" : ": " + drivers);
  }

  private static String description(String service, Incident incident) {
    if (incident == null || incident.rootCauses().isEmpty()) {
      return "No incident explains " + service + " yet.";
    }
    RootCause top = incident.rootCauses().get(0);
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "Incident %s: root cause %s (score %.2f)",
                incident.id(),
                top.service(),
                top.score()));
    if (top.path().size() > 1) {
      b.append(", propagating ").append(String.join(" -> ", top.path()));
    }
    b.append('.');
    for (Evidence e : top.evidence().stream().limit(MAX_EVIDENCE).toList()) {
      b.append(' ').append(e.text());
      if (!e.text().endsWith(".")) {
        b.append('.');
      }
    }
    return b.toString();
  }

  static String describe(FeatureDeviation d) {
    return d.unit().equals("ratio")
        ? String.format(
            Locale.ROOT, "%s %.1f%% -> %.1f%%", d.feature(), 100 * d.baseline(), 100 * d.actual())
        : String.format(
            Locale.ROOT, "%s %.1f -> %.1f %s", d.feature(), d.baseline(), d.actual(), d.unit());
  }
}

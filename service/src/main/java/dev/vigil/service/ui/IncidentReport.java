package dev.vigil.service.ui;

import dev.vigil.rca.offline.AnalysisResult;
import dev.vigil.rca.offline.RankedCause;
import dev.vigil.service.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The incident page as one self-contained HTML file: the UI's own style and script inlined, and the
 * incident's view ({@link IncidentView}) embedded as data, so it opens offline, from disk, in any
 * browser, and looks like the live page. Written by {@code vigil analyze --html report.html}.
 */
public final class IncidentReport {
  private IncidentReport() {}

  /** The view of an offline analysis: its ranked causes, the graph their paths span, no series. */
  public static Map<String, Object> view(AnalysisResult result) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", "analysis at " + result.incidentTime());
    out.put("status", result.located() ? "located" : "given");
    out.put("startedAt", result.incidentTime().toString());
    Set<String> services = new LinkedHashSet<>();
    Set<List<String>> edges = new LinkedHashSet<>();
    List<String> affected = new ArrayList<>();
    for (RankedCause c : result.rootCauses()) {
      services.add(c.service());
      List<String> p = c.path();
      for (int k = 0; k + 1 < p.size(); k++) {
        services.add(p.get(k + 1));
        edges.add(List.of(p.get(k + 1), p.get(k)));
      }
    }
    if (!result.rootCauses().isEmpty()) {
      affected.addAll(result.rootCauses().get(0).path());
    }
    out.put("affected", affected);
    out.put("services", services);
    out.put("edges", edges);
    out.put(
        "causes",
        IncidentView.causes(result.rootCauses().stream().map(RankedCause::toRootCause).toList()));
    out.put("series", List.of());
    return out;
  }

  /** The self-contained page for a view. */
  public static String html(Map<String, Object> view) throws IOException {
    String data =
        Json.write(view)
            .replace("<", "\\u003c")
            .replace(">", "\\u003e")
            .replace("\u2028", "\\u2028")
            .replace("\u2029", "\\u2029");
    return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>Vigil incident report</title>\n<style>\n"
        + resource("app.css")
        + "</style>\n</head>\n<body>\n"
        + "<header><span class=\"brand\">Vigil</span><span id=\"now\"></span></header>\n"
        + "<div id=\"layout\"><main id=\"main\"></main></div>\n"
        + "<script>window.VIGIL_REPORT = "
        + data
        + ";</script>\n<script>\n"
        + resource("app.js").replace("</script", "<\\/script")
        + "</script>\n</body>\n</html>\n";
  }

  public static void write(Path file, Map<String, Object> view) throws IOException {
    Files.writeString(file, html(view), StandardCharsets.UTF_8);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = IncidentReport.class.getResourceAsStream("/ui/" + name)) {
      if (in == null) {
        throw new IOException("the jar has no ui/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

package dev.vigil.service.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.nlq.AlertNote;
import dev.vigil.nlq.DiagnosticContext;
import dev.vigil.rca.Incident;
import dev.vigil.service.pipeline.PipelineLiveState;
import dev.vigil.service.ui.IncidentView;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The web UI: {@code /} (the page), {@code /ui/*} (its script and style, from the jar's {@code ui/}
 * resources), {@code /ui/api/overview} (topology with anomalous services, incidents, alerts) and
 * {@code /ui/api/incident?id=} (one incident: see {@link IncidentView}). Read-only, GET only.
 */
public final class WebUi implements HttpHandler {

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8");

  private static final Set<String> FILES = Set.of("index.html", "app.js", "app.css");

  private final PipelineLiveState state;

  public WebUi(PipelineLiveState state) {
    this.state = state;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
      HttpResponses.error(ex, 405, "the UI is read-only: GET only");
      return;
    }
    String path = ex.getRequestURI().getPath();
    switch (path) {
      case "/", "/index.html" -> resource(ex, "index.html");
      case "/ui/api/overview" -> HttpResponses.json(ex, 200, overview(state.snapshot()));
      case "/ui/api/incident" -> incident(ex);
      default -> {
        String name = path.startsWith("/ui/") ? path.substring(4) : "";
        if (FILES.contains(name)) {
          resource(ex, name);
        } else {
          HttpResponses.error(ex, 404, "no page " + path + "; the UI is at /");
        }
      }
    }
  }

  private void incident(HttpExchange ex) {
    String id = HttpApi.query(ex.getRequestURI().getRawQuery()).get("id");
    DiagnosticContext s = state.snapshot();
    Incident i = s.incidents().stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
    if (i == null) {
      HttpResponses.error(ex, 404, "no incident " + id + " among the recent incidents");
      return;
    }
    HttpResponses.json(ex, 200, IncidentView.of(i, s));
  }

  static Map<String, Object> overview(DiagnosticContext s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("now", s.now().toString());
    out.put("services", s.graph().services());
    out.put("edges", s.graph().edges());
    out.put("anomalous", IncidentView.anomalous(s.incidents()));
    List<Map<String, Object>> incidents = new ArrayList<>();
    s.incidents().forEach(i -> incidents.add(IncidentView.summary(i)));
    out.put("incidents", incidents);
    List<AlertNote> alerts = s.alerts().stream().limit(50).toList();
    out.put("alerts", alerts);
    return out;
  }

  /** One of the UI's files, from the classpath. */
  static byte[] file(String name) throws IOException {
    try (InputStream in = WebUi.class.getResourceAsStream("/ui/" + name)) {
      if (in == null) {
        throw new IOException("the jar has no ui/" + name);
      }
      return in.readAllBytes();
    }
  }

  private static void resource(HttpExchange ex, String name) throws IOException {
    String ext = name.substring(name.lastIndexOf('.') + 1);
    HttpResponses.send(ex, 200, TYPES.get(ext), file(name));
  }
}

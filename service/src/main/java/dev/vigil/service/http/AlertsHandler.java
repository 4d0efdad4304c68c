package dev.vigil.service.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.rca.Incident;
import dev.vigil.service.alerting.Alert;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code GET /api/alerts} (firing alerts, newest first, then the latest resolved ones; filters
 * {@code ?status=firing|resolved}, {@code ?silenced=true|false}, {@code ?incident=<id>}) and {@code
 * GET /api/incidents/<id>} (the incident's latest report with the alerts grouped under it). Mount
 * it on {@code /api/alerts} and on {@code /api/incidents/}.
 */
public final class AlertsHandler implements HttpHandler {
  private final Supplier<List<Alert>> alerts;
  private final Function<String, Optional<Incident>> incidents;

  /**
   * @param alerts the current alerts (e.g. {@code AlertLifecycle::alerts})
   * @param incidents an incident's latest report by id
   */
  public AlertsHandler(
      Supplier<List<Alert>> alerts, Function<String, Optional<Incident>> incidents) {
    this.alerts = alerts;
    this.incidents = incidents;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    if (!ex.getRequestMethod().equals("GET")) {
      HandlerResponses.methodNotAllowed(ex, "GET");
      return;
    }
    if (ex.getHttpContext().getPath().startsWith("/api/incidents")) {
      incident(ex, HandlerResponses.rest(ex));
      return;
    }
    if (!HandlerResponses.rest(ex).isEmpty()) {
      HandlerResponses.error(ex, 404, "no such route; try GET /api/alerts");
      return;
    }
    Map<String, String> q = HandlerResponses.query(ex);
    String status = q.get("status");
    if (status != null && !status.equals(Alert.FIRING) && !status.equals(Alert.RESOLVED)) {
      HandlerResponses.error(ex, 400, "status must be firing or resolved, got '" + status + "'");
      return;
    }
    String silenced = q.get("silenced");
    if (silenced != null && !silenced.equals("true") && !silenced.equals("false")) {
      HandlerResponses.error(ex, 400, "silenced must be true or false, got '" + silenced + "'");
      return;
    }
    String incident = q.get("incident");
    List<Alert> out =
        alerts.get().stream()
            .filter(a -> status == null || a.status().equals(status))
            .filter(a -> silenced == null || a.silenced() == Boolean.parseBoolean(silenced))
            .filter(a -> incident == null || incident.equals(a.incidentId()))
            .toList();
    HandlerResponses.json(ex, 200, out);
  }

  private void incident(HttpExchange ex, String id) throws IOException {
    if (id.isEmpty() || id.contains("/")) {
      HandlerResponses.error(ex, 404, "expected /api/incidents/<id>");
      return;
    }
    Optional<Incident> incident = incidents.apply(id);
    if (incident.isEmpty()) {
      HandlerResponses.error(ex, 404, "no incident " + id + " among the latest");
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("incident", incident.get());
    body.put("alerts", alerts.get().stream().filter(a -> id.equals(a.incidentId())).toList());
    HandlerResponses.json(ex, 200, body);
  }
}

package dev.vigil.service.alerting;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Posts alerts to Alertmanager's API v2, {@code POST <url>/api/v2/alerts}, as {@code
 * postableAlerts}: labels, annotations (summary, the incident's root cause and top evidence),
 * {@code startsAt}, {@code endsAt} and {@code generatorURL} (the incident's page in Vigil's API).
 * Alertmanager expects a firing alert to be posted again while it lasts and resolves it by itself
 * once {@code endsAt} has passed; so a firing alert is sent with {@code endsAt} {@code activeFor}
 * after the report (Prometheus sends four resend intervals ahead), which the lifecycle's
 * re-notifications keep pushing forward, and a resolved one with its real end. Set {@code
 * activeFor} longer than {@code alerts.renotify-interval}.
 */
public final class AlertmanagerSink implements AlertSink {
  public static final Duration DEFAULT_ACTIVE_FOR =
      AlertLifecycle.DEFAULT_RENOTIFY_INTERVAL.multipliedBy(3);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final URI endpoint;
  private final String externalUrl;
  private final Duration activeFor;
  private final JsonPoster poster;

  private AlertmanagerSink(Builder b) {
    this.endpoint =
        JsonPoster.uri("sinks.alertmanager.url", JsonPoster.trimSlash(b.url) + "/api/v2/alerts");
    this.externalUrl = JsonPoster.trimSlash(b.externalUrl);
    this.activeFor = b.activeFor;
    this.poster = new JsonPoster(b.timeout);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "alertmanager";
  }

  @Override
  public void deliver(List<Alert> alerts) throws DeliveryException {
    List<Map<String, Object>> body = new ArrayList<>();
    for (Alert a : alerts) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("labels", a.labels());
      p.put("annotations", a.annotations());
      p.put("startsAt", a.startsAt().toString());
      p.put(
          "endsAt",
          (a.status().equals(Alert.RESOLVED) ? a.endsAt() : a.at().plus(activeFor)).toString());
      p.put("generatorURL", generatorUrl(externalUrl, a));
      body.add(p);
    }
    poster.post(endpoint, body);
  }

  /** The incident's page when the alert has one, else the alert list. */
  static String generatorUrl(String externalUrl, Alert a) {
    return a.incidentId() != null
        ? externalUrl + "/api/incidents/" + a.incidentId()
        : externalUrl + "/api/alerts";
  }

  /** Configures an {@link AlertmanagerSink}; {@code url} is {@code sinks.alertmanager.url}. */
  public static final class Builder extends HttpSinkBuilder<Builder> {
    private Duration activeFor = DEFAULT_ACTIVE_FOR;

    private Builder() {
      super("sinks.alertmanager.url");
    }

    @Override
    Builder self() {
      return this;
    }

    /** How far ahead of each report a firing alert's {@code endsAt} is set (default 15 min). */
    public Builder activeFor(Duration activeFor) {
      this.activeFor = activeFor;
      return this;
    }

    public AlertmanagerSink build() {
      if (activeFor == null || activeFor.isNegative() || activeFor.isZero()) {
        throw new IllegalArgumentException("activeFor must be positive, got " + activeFor);
      }
      return new AlertmanagerSink(checked());
    }
  }
}

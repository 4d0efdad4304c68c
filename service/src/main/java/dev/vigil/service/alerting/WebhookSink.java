package dev.vigil.service.alerting;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Posts to a generic webhook the payload Alertmanager's webhook receiver sends (version 4): one
 * request per incident group of a batch, with {@code status} (firing while any alert of the group
 * fires), {@code groupKey}, {@code groupLabels} ({@code incident}), {@code commonLabels}, {@code
 * commonAnnotations}, {@code externalURL} and the alerts with their {@code fingerprint}. As
 * Alertmanager does, a firing alert's {@code endsAt} is the zero time {@value #ZERO_TIME}.
 */
public final class WebhookSink implements AlertSink {
  static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private final URI url;
  private final String externalUrl;
  private final String receiver;
  private final JsonPoster poster;

  private WebhookSink(Builder b) {
    this.url = JsonPoster.uri("sinks.webhook.url", b.url);
    this.externalUrl = JsonPoster.trimSlash(b.externalUrl);
    this.receiver = b.receiver;
    this.poster = new JsonPoster(b.timeout);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public void deliver(List<Alert> alerts) throws DeliveryException {
    Map<String, List<Alert>> groups = new TreeMap<>();
    for (Alert a : alerts) {
      groups
          .computeIfAbsent(a.incidentId() == null ? "" : a.incidentId(), k -> new ArrayList<>())
          .add(a);
    }
    for (Map.Entry<String, List<Alert>> g : groups.entrySet()) {
      poster.post(url, payload(g.getKey(), g.getValue()));
    }
  }

  Map<String, Object> payload(String incident, List<Alert> alerts) {
    Map<String, String> groupLabels = new TreeMap<>();
    if (!incident.isEmpty()) {
      groupLabels.put("incident", incident);
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("version", "4");
    p.put("groupKey", "{}:{incident=\"" + incident + "\"}");
    p.put("truncatedAlerts", 0);
    p.put(
        "status",
        alerts.stream().anyMatch(a -> a.status().equals(Alert.FIRING))
            ? Alert.FIRING
            : Alert.RESOLVED);
    p.put("receiver", receiver);
    p.put("groupLabels", groupLabels);
    p.put("commonLabels", common(alerts.stream().map(Alert::labels).toList()));
    p.put("commonAnnotations", common(alerts.stream().map(Alert::annotations).toList()));
    p.put("externalURL", externalUrl);
    List<Map<String, Object>> items = new ArrayList<>();
    for (Alert a : alerts) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("status", a.status());
      item.put("labels", a.labels());
      item.put("annotations", a.annotations());
      item.put("startsAt", a.startsAt().toString());
      item.put("endsAt", a.endsAt() == null ? ZERO_TIME : a.endsAt().toString());
      item.put("generatorURL", AlertmanagerSink.generatorUrl(externalUrl, a));
      item.put("fingerprint", a.fingerprint());
      items.add(item);
    }
    p.put("alerts", items);
    return p;
  }

  /** The pairs every map has. */
  private static Map<String, String> common(List<Map<String, String>> maps) {
    Map<String, String> out = new TreeMap<>(maps.get(0));
    for (Map<String, String> m : maps) {
      out.entrySet().removeIf(e -> !e.getValue().equals(m.get(e.getKey())));
    }
    return out;
  }

  /** Configures a {@link WebhookSink}; {@code url} is {@code sinks.webhook.url}. */
  public static final class Builder extends HttpSinkBuilder<Builder> {
    private String receiver = "vigil";

    private Builder() {
      super("sinks.webhook.url");
    }

    @Override
    Builder self() {
      return this;
    }

    /** The {@code receiver} field (default {@code vigil}). */
    public Builder receiver(String receiver) {
      this.receiver = Objects.requireNonNull(receiver, "receiver");
      return this;
    }

    public WebhookSink build() {
      return new WebhookSink(checked());
    }
  }
}

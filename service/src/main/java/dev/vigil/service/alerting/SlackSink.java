package dev.vigil.service.alerting;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Posts a message to a Slack incoming webhook ({@code {"text": ...}}, Slack's mrkdwn), one per
 * batch: each alert's state, service and severity, its summary, and the incident's root cause and
 * evidence with a link to the incident. Any Slack-compatible receiver (Mattermost, Rocket.Chat)
 * takes the same body.
 */
public final class SlackSink implements AlertSink {
  private final URI url;
  private final String externalUrl;
  private final JsonPoster poster;

  private SlackSink(Builder b) {
    this.url = JsonPoster.uri("sinks.slack.url", b.url);
    this.externalUrl = JsonPoster.trimSlash(b.externalUrl);
    this.poster = new JsonPoster(b.timeout);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "slack";
  }

  @Override
  public void deliver(List<Alert> alerts) throws DeliveryException {
    poster.post(url, Map.of("text", text(alerts)));
  }

  String text(List<Alert> alerts) {
    StringBuilder b = new StringBuilder();
    for (Alert a : alerts) {
      if (b.length() > 0) {
        b.append("\n\n");
      }
      boolean firing = a.status().equals(Alert.FIRING);
      b.append(firing ? ":red_circle: *[FIRING" : ":large_green_circle: *[RESOLVED")
          .append(a.event().equals(Alert.RENOTIFIED) ? ", still" : "")
          .append("]* `")
          .append(a.service())
          .append("` (")
          .append(a.severity())
          .append(")\n")
          .append(a.annotations().getOrDefault("summary", ""))
          .append('\n')
          .append(a.annotations().getOrDefault("description", ""));
      if (a.incidentId() != null) {
        b.append("\n<")
            .append(AlertmanagerSink.generatorUrl(externalUrl, a))
            .append("|incident ")
            .append(a.incidentId())
            .append('>');
      }
    }
    return b.toString();
  }

  /** Configures a {@link SlackSink}; {@code url} is {@code sinks.slack.url}. */
  public static final class Builder extends HttpSinkBuilder<Builder> {

    private Builder() {
      super("sinks.slack.url");
    }

    @Override
    Builder self() {
      return this;
    }

    public SlackSink build() {
      return new SlackSink(checked());
    }
  }
}

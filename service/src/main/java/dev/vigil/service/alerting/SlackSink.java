package dev.vigil.service.alerting;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

  /** Configures a {@link SlackSink}. */
  public static final class Builder {
    private String url;
    private String externalUrl = "http://127.0.0.1:8080";
    private Duration timeout = AlertmanagerSink.DEFAULT_TIMEOUT;

    private Builder() {}

    /** The incoming-webhook URL ({@code sinks.slack.url}). */
    public Builder url(String url) {
      this.url = url;
      return this;
    }

    /** Vigil's own base URL, for the links to incidents (default http://127.0.0.1:8080). */
    public Builder externalUrl(String externalUrl) {
      this.externalUrl = Objects.requireNonNull(externalUrl, "externalUrl");
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public SlackSink build() {
      if (url == null || url.isBlank()) {
        throw new IllegalArgumentException("sinks.slack.url must be set");
      }
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
      JsonPoster.uri("externalUrl", externalUrl);
      return new SlackSink(this);
    }
  }
}

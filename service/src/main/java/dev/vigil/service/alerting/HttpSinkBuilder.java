package dev.vigil.service.alerting;

import java.time.Duration;
import java.util.Objects;

/**
 * What every HTTP sink is configured with: where to post, Vigil's own base URL for the links back
 * to incidents, and the request timeout; {@link #checked} refuses a missing URL or a non-positive
 * timeout with the configuration key to fix.
 *
 * @param <B> the concrete builder, returned by the setters
 */
abstract class HttpSinkBuilder<B extends HttpSinkBuilder<B>> {
  String url;
  String externalUrl = "http://127.0.0.1:8080";
  Duration timeout = AlertmanagerSink.DEFAULT_TIMEOUT;

  private final String urlKey;

  HttpSinkBuilder(String urlKey) {
    this.urlKey = urlKey;
  }

  abstract B self();

  /** Where to post ({@code sinks.<name>.url}). */
  public B url(String url) {
    this.url = url;
    return self();
  }

  /** Vigil's own base URL, for the links back to incidents (default http://127.0.0.1:8080). */
  public B externalUrl(String externalUrl) {
    this.externalUrl = Objects.requireNonNull(externalUrl, "externalUrl");
    return self();
  }

  /** Connect and request timeout (default 10 s). */
  public B timeout(Duration timeout) {
    this.timeout = timeout;
    return self();
  }

  /** This builder once its common settings are valid. */
  B checked() {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(urlKey + " must be set");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    JsonPoster.uri("externalUrl", externalUrl);
    return self();
  }
}

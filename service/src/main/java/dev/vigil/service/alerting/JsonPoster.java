package dev.vigil.service.alerting;

import dev.vigil.service.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** POSTs JSON with the JDK's HTTP client; a non-2xx answer is a {@link DeliveryException}. */
final class JsonPoster {
  private final HttpClient client;
  private final Duration timeout;

  JsonPoster(Duration timeout) {
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.timeout = timeout;
  }

  void post(URI uri, Object body) throws DeliveryException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "vigil")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new DeliveryException(uri + ": " + e, true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryException(uri + ": interrupted", true, e);
    }
    int status = response.statusCode();
    if (status / 100 != 2) {
      String text = response.body();
      throw new DeliveryException(
          uri
              + " answered "
              + status
              + ": "
              + (text.length() > 200 ? text.substring(0, 200) + "..." : text),
          status >= 500 || status == 429 || status == 408,
          null);
    }
  }

  /** Checks a configured URL: absolute http(s), named by its config key when it is not. */
  static URI uri(String key, String url) {
    try {
      URI uri = URI.create(url.trim());
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new IllegalArgumentException("not an absolute http(s) URL");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          key + " must be an http(s) URL such as http://alertmanager:9093, got '" + url + "'", e);
    }
  }

  static String trimSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}

package dev.vigil.ingest.http.server;

/**
 * A request the listener answers itself, before any handler sees it.
 *
 * @param status the HTTP status: 401, 404, 408, 413, 503
 * @param reason a snake_case reason, for metrics: {@link #UNAUTHORIZED}, {@link #NOT_FOUND}, {@link
 *     #TIMEOUT}, {@link #TOO_LARGE}, {@link #OVERLOADED} or {@link #UNAVAILABLE}
 * @param message what went wrong and what to do, for the client
 * @param path the request's path
 * @param contentType the request's {@code Content-Type}, or null
 */
public record Rejection(
    int status, String reason, String message, String path, String contentType) {
  /** 401: no or a wrong bearer token. */
  public static final String UNAUTHORIZED = "unauthorized";

  /** 404: no route for the path. */
  public static final String NOT_FOUND = "not_found";

  /** 408: the body did not arrive in time. */
  public static final String TIMEOUT = "timeout";

  /** 413: the body is larger than the limit. */
  public static final String TOO_LARGE = "too_large";

  /** 503: the workers' queue or the body buffer budget is full. */
  public static final String OVERLOADED = "overloaded";

  /** 503: the listener is shutting down. */
  public static final String UNAVAILABLE = "unavailable";
}

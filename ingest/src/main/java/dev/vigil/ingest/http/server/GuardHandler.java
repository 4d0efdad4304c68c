package dev.vigil.ingest.http.server;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the listener decides before a handler runs, in order: shutting down (503), route
 * (404), bearer token (401), {@code Content-Length} over the limit (413, before any body byte is
 * read), then the body is read without a thread ({@link BodyReader}) under a deadline (408), and
 * the request is queued for a worker (503 when the queue is full). After a rejection is sent, what
 * is left of its body is read and thrown away ({@link BodyDiscarder}) so the client gets the answer
 * rather than a reset. Runs on Jetty's I/O threads and never blocks there.
 */
final class GuardHandler extends Handler.Abstract.NonBlocking {
  private static final Logger LOG = LoggerFactory.getLogger(GuardHandler.class);

  private final List<Route> routes;
  private final BearerToken token;
  private final Set<String> openPaths;
  private final HttpLimits limits;
  private final RejectionResponder responder;
  private final Executor workers;
  private final AtomicLong buffered = new AtomicLong();
  private final String retryAfter;
  private volatile boolean closing;

  /**
   * @param routes longest path first
   * @param token the token every route but {@code openPaths} needs, or null for none
   */
  GuardHandler(
      List<Route> routes,
      BearerToken token,
      Set<String> openPaths,
      HttpLimits limits,
      RejectionResponder responder,
      Executor workers) {
    this.routes = List.copyOf(routes);
    this.token = token;
    this.openPaths = Set.copyOf(openPaths);
    this.limits = limits;
    this.responder = responder;
    this.workers = workers;
    this.retryAfter = limits.retryAfterSeconds();
  }

  /** From now on every request gets 503 with {@code Retry-After}. */
  void closing() {
    closing = true;
  }

  /** Bytes of bodies held now (being read, queued or handled). */
  long bufferedBytes() {
    return buffered.get();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getPath();
    Answer answer = new Answer(request, response, callback, path == null ? "/" : path);
    if (closing) {
      answer.reject(503, Rejection.UNAVAILABLE, "the server is shutting down; retry later", true);
      return true;
    }
    Route route = route(answer.path);
    if (route == null) {
      answer.reject(404, Rejection.NOT_FOUND, "nothing is served at " + answer.path, false);
      return true;
    }
    if (token != null
        && !openPaths.contains(answer.path)
        && !token.matches(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"vigil\"");
      answer.reject(
          401,
          Rejection.UNAUTHORIZED,
          "this route needs the header Authorization: Bearer <token> with the server's token",
          true);
      return true;
    }
    URI uri;
    try {
      uri = new URI(request.getHttpURI().getPathQuery());
    } catch (URISyntaxException e) {
      answer.reject(400, "bad_request", "the request target is not a valid URI", true);
      return true;
    }
    long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
    if (declared > limits.maxBodyBytes()) {
      answer.reject(
          413,
          Rejection.TOO_LARGE,
          "the body has " + declared + " bytes; the limit is " + limits.maxBodyBytes() + " bytes",
          true);
      return true;
    }
    Body body = new Body(answer, route, uri);
    BodyReader reader =
        new BodyReader(
            request, declared, limits.maxBodyBytes(), buffered, limits.maxBufferedBytes(), body);
    body.reader = reader;
    body.deadline =
        request
            .getComponents()
            .getScheduler()
            .schedule(body::timedOut, limits.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS);
    reader.run();
    return true;
  }

  private Route route(String path) {
    for (Route route : routes) {
      if (route.serves(path)) {
        return route;
      }
    }
    return null;
  }

  /** What becomes of a request once its body is read, or cannot be. */
  private final class Body implements BodyReader.Outcome {
    private final Answer answer;
    private final Route route;
    private final URI uri;
    private BodyReader reader;
    private Scheduler.Task deadline;

    Body(Answer answer, Route route, URI uri) {
      this.answer = answer;
      this.route = route;
      this.uri = uri;
    }

    @Override
    public void body(byte[] bytes) {
      deadline.cancel();
      JettyExchange exchange =
          new JettyExchange(answer.request, answer.response, answer.callback, route, uri, bytes);
      try {
        workers.execute(() -> handle(exchange));
      } catch (RejectedExecutionException e) {
        reader.release();
        answer.reject(
            503,
            Rejection.OVERLOADED,
            "too many requests are waiting to be handled; retry later",
            false);
      }
    }

    private void handle(JettyExchange exchange) {
      try (exchange) {
        route.getHandler().handle(exchange);
      } catch (IOException e) {
        LOG.debug("{} {}: the client went away", exchange.getRequestMethod(), answer.path, e);
      } catch (RuntimeException e) {
        LOG.warn("the handler of {} failed on {}", route.getPath(), answer.path, e);
        if (!exchange.sent()) {
          try {
            exchange.sendResponseHeaders(500, -1);
          } catch (IOException ignored) {
            // The exchange is closed next either way.
          }
        }
      } finally {
        reader.release();
      }
    }

    @Override
    public void tooLarge(long read) {
      deadline.cancel();
      answer.reject(
          413,
          Rejection.TOO_LARGE,
          "the body has more than "
              + limits.maxBodyBytes()
              + " bytes; the limit is "
              + limits.maxBodyBytes()
              + " bytes",
          true);
    }

    @Override
    public void overBudget() {
      deadline.cancel();
      answer.reject(
          503,
          Rejection.OVERLOADED,
          "too many request bodies are being received; retry later",
          true);
    }

    @Override
    public void failed(Throwable failure, boolean transientFailure) {
      deadline.cancel();
      if (transientFailure) {
        answer.reject(
            408,
            Rejection.TIMEOUT,
            "no body bytes for " + limits.idleTimeout().toMillis() + " ms",
            true);
      } else {
        answer.callback.failed(failure);
      }
    }

    void timedOut() {
      if (reader.cancel()) {
        answer.reject(
            408,
            Rejection.TIMEOUT,
            "the body did not arrive within " + limits.bodyTimeout().toMillis() + " ms",
            true);
      }
    }
  }

  /** Writes a rejection in the responder's format. */
  private final class Answer {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final String path;

    Answer(Request request, Response response, Callback callback, String path) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.path = path;
    }

    void reject(int status, String reason, String message, boolean close) {
      LOG.debug("HTTP {} {} on {}: {}", status, reason, path, message);
      RejectionResponder.Body body;
      try {
        body =
            responder.respond(
                new Rejection(
                    status,
                    reason,
                    message,
                    path,
                    request.getHeaders().get(HttpHeader.CONTENT_TYPE)));
      } catch (RuntimeException e) {
        LOG.warn("the rejection responder failed", e);
        body =
            RejectionResponder.json().respond(new Rejection(status, reason, message, path, null));
      }
      response.setStatus(status);
      if (status == 429 || status == 503) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, retryAfter);
      }
      if (close) {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
      }
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, body.contentType());
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) body.bytes().length);
      if (status == 408) {
        // The client is too slow to send its body; waiting for the rest would hold the connection.
        response.write(true, ByteBuffer.wrap(body.bytes()), callback);
        return;
      }
      response.write(
          true,
          ByteBuffer.wrap(body.bytes()),
          Callback.from(
              () ->
                  BodyDiscarder.discard(
                      request,
                      callback,
                      2 * limits.maxBodyBytes(),
                      limits.bodyTimeout().toMillis()),
              callback::failed));
    }
  }
}

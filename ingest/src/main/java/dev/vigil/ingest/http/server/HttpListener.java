package dev.vigil.ingest.http.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An HTTP/1.1 listener that runs {@code com.sun.net.httpserver.HttpHandler}s behind the limits of
 * {@link HttpLimits}, an optional bearer token and optional TLS (see the package documentation).
 * Built bound (a port in use fails at {@link HttpListenerBuilder#build()}), started with {@link
 * #start()}, stopped with {@link #close()}.
 *
 * <p>On Jetty 12's core API rather than the JDK's {@code com.sun.net.httpserver}: the JDK server
 * gives a thread to every request from the first byte and has no read timeout of its own (only
 * JVM-wide system properties), so a few hundred clients stalled mid-body starve it. Jetty reads
 * without threads, times out idle reads per connection and bounds connections, which is what this
 * class needs; it keeps the JDK's handler API so routes stay plain {@code HttpHandler}s.
 */
public final class HttpListener implements AutoCloseable {
  /** How long {@link #close()} waits for requests being handled. */
  public static final Duration STOP_DELAY = Duration.ofSeconds(1);

  private final String name;
  private final Server server;
  private final ServerConnector connector;
  private final GuardHandler guard;
  private final ThreadPoolExecutor workers;
  private final boolean secure;
  private final boolean tokenRequired;
  private boolean started;
  private boolean closed;

  HttpListener(
      String name,
      Server server,
      ServerConnector connector,
      GuardHandler guard,
      ThreadPoolExecutor workers,
      boolean secure,
      boolean tokenRequired) {
    this.name = name;
    this.server = server;
    this.connector = connector;
    this.guard = guard;
    this.workers = workers;
    this.secure = secure;
    this.tokenRequired = tokenRequired;
  }

  /** A builder with the documented defaults. */
  public static HttpListenerBuilder builder() {
    return new HttpListenerBuilder();
  }

  /**
   * Starts accepting connections.
   *
   * @throws IllegalStateException if already started or closed, or if Jetty cannot start
   */
  public synchronized void start() {
    if (started || closed) {
      throw new IllegalStateException(
          "the " + name + " listener was already " + (closed ? "closed" : "started"));
    }
    started = true;
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("the " + name + " listener cannot start: " + e, e);
    }
  }

  /** The address listened on, with the actual port when 0 was asked for. */
  public InetSocketAddress address() {
    String host = connector.getHost();
    return new InetSocketAddress(host == null ? "0.0.0.0" : host, connector.getLocalPort());
  }

  /** Whether connections use TLS. */
  public boolean secure() {
    return secure;
  }

  /** Whether every route but the open ones needs the bearer token. */
  public boolean tokenRequired() {
    return tokenRequired;
  }

  /** Bytes of request bodies held now: being received, queued or handled. */
  public long bufferedBytes() {
    return guard.bufferedBytes();
  }

  /**
   * Stops: requests arriving meanwhile get 503, those being handled finish (up to {@link
   * #STOP_DELAY}), then connections close. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    guard.closing();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(STOP_DELAY.toMillis(), TimeUnit.MILLISECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("the " + name + " listener did not stop cleanly: " + e, e);
    }
  }

  /** Name, scheme, address and whether a token is required; never the token. */
  @Override
  public String toString() {
    InetSocketAddress a = address();
    return "HttpListener["
        + name
        + ", "
        + (secure ? "https" : "http")
        + "://"
        + a.getHostString()
        + ":"
        + a.getPort()
        + (tokenRequired ? ", bearer token required" : "")
        + "]";
  }
}

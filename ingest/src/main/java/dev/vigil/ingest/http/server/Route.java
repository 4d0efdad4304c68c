package dev.vigil.ingest.http.server;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A handler and the path prefix it serves, as the {@link HttpContext} its exchanges report. Fixed
 * once the listener is built: no filters, no authenticator (the listener does authentication), and
 * no {@link HttpServer} behind it ({@link #getServer()} is null).
 */
final class Route extends HttpContext {
  private final String path;
  private final HttpHandler handler;
  private final Map<String, Object> attributes = new ConcurrentHashMap<>();

  Route(String path, HttpHandler handler) {
    this.path = path;
    this.handler = handler;
  }

  /** Whether this route serves {@code requestPath} (a prefix match, as the JDK server does). */
  boolean serves(String requestPath) {
    return requestPath.startsWith(path);
  }

  @Override
  public HttpHandler getHandler() {
    return handler;
  }

  @Override
  public void setHandler(HttpHandler h) {
    throw new UnsupportedOperationException("routes are fixed when the listener is built");
  }

  @Override
  public String getPath() {
    return path;
  }

  @Override
  public HttpServer getServer() {
    return null;
  }

  @Override
  public Map<String, Object> getAttributes() {
    return attributes;
  }

  @Override
  public List<Filter> getFilters() {
    return List.of();
  }

  @Override
  public Authenticator setAuthenticator(Authenticator auth) {
    throw new UnsupportedOperationException("the listener authenticates with a bearer token");
  }

  @Override
  public Authenticator getAuthenticator() {
    return null;
  }
}

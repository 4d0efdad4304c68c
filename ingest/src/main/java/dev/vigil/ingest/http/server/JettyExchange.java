package dev.vigil.ingest.http.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A {@code com.sun.net.httpserver} exchange over a Jetty request whose body was already read whole.
 * It keeps the JDK server's contract that handlers rely on: {@link #sendResponseHeaders} with a
 * length of -1 means no body, 0 a body of any length (chunked), more a body of exactly that length;
 * {@link #close()} ends the exchange. Used on one worker thread at a time.
 *
 * <p>Written here rather than taken from {@code jetty-http-spi} because that module registers
 * itself as the JVM-wide {@code HttpServerProvider} (every {@code HttpServer.create()} in the
 * process, test fakes included, would silently move to Jetty) and reads bodies with a blocked
 * thread, which is what this listener exists to avoid.
 */
final class JettyExchange extends HttpExchange {
  private final Request request;
  private final Response response;
  private final Callback callback;
  private final Route route;
  private final URI uri;
  private final Headers requestHeaders = new Headers();
  private final Headers responseHeaders = new Headers();
  private final Map<String, Object> attributes = new ConcurrentHashMap<>();
  private InputStream in;
  private OutputStream out;
  private int status = -1;
  private boolean closed;

  JettyExchange(
      Request request, Response response, Callback callback, Route route, URI uri, byte[] body) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.route = route;
    this.uri = uri;
    this.in = new ByteArrayInputStream(body);
    for (HttpField field : request.getHeaders()) {
      requestHeaders.add(field.getName(), field.getValue());
    }
  }

  @Override
  public Headers getRequestHeaders() {
    return requestHeaders;
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return uri;
  }

  @Override
  public String getRequestMethod() {
    return request.getMethod();
  }

  @Override
  public HttpContext getHttpContext() {
    return route;
  }

  @Override
  public InputStream getRequestBody() {
    return in;
  }

  @Override
  public OutputStream getResponseBody() {
    if (out == null) {
      out = new NotYetSent();
    }
    return out;
  }

  @Override
  public void sendResponseHeaders(int code, long length) throws IOException {
    if (status != -1) {
      throw new IOException("the response headers were already sent");
    }
    status = code;
    response.setStatus(code);
    for (Map.Entry<String, List<String>> header : responseHeaders.entrySet()) {
      for (String value : header.getValue()) {
        response.getHeaders().add(header.getKey(), value);
      }
    }
    boolean noBody =
        length < 0 || code < 200 || code == 204 || code == 304 || "HEAD".equals(getRequestMethod());
    if (noBody) {
      if (code >= 200 && code != 204 && code != 304) {
        // HEAD announces the length a GET would have; other bodiless answers say 0.
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Math.max(length, 0L));
      }
      out = OutputStream.nullOutputStream();
      return;
    }
    if (length > 0) {
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
    }
    out = Content.Sink.asOutputStream(response);
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return inet(request.getConnectionMetaData().getRemoteSocketAddress());
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return inet(request.getConnectionMetaData().getLocalSocketAddress());
  }

  @Override
  public int getResponseCode() {
    return status;
  }

  @Override
  public String getProtocol() {
    return request.getConnectionMetaData().getProtocol();
  }

  @Override
  public Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    if (value == null) {
      attributes.remove(name);
    } else {
      attributes.put(name, value);
    }
  }

  @Override
  public void setStreams(InputStream i, OutputStream o) {
    if (i != null) {
      in = i;
    }
    if (o != null) {
      out = o;
    }
  }

  @Override
  public HttpPrincipal getPrincipal() {
    return null;
  }

  /** Whether the handler has sent the status line: after that only the connection can fail. */
  boolean sent() {
    return status != -1;
  }

  /** Ends the exchange: the body is completed and Jetty told; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (status == -1) {
        // A handler that answered nothing: as the JDK server, a 500 rather than a hang.
        sendResponseHeaders(500, -1);
      }
      out.close();
      callback.succeeded();
    } catch (IOException | RuntimeException e) {
      callback.failed(e);
    }
  }

  private static InetSocketAddress inet(SocketAddress address) {
    return address instanceof InetSocketAddress a ? a : null;
  }

  /** The response body before the status was sent: writing to it is an error, as in the JDK. */
  private final class NotYetSent extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      delegate().write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      delegate().write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      if (status != -1) {
        delegate().flush();
      }
    }

    @Override
    public void close() throws IOException {
      if (status != -1) {
        delegate().close();
      }
    }

    private OutputStream delegate() throws IOException {
      if (status == -1) {
        throw new IOException("sendResponseHeaders must be called before writing the body");
      }
      return out == this ? OutputStream.nullOutputStream() : out;
    }
  }
}

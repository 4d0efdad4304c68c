package dev.vigil.ingest.http.server;

import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Builds an {@link HttpListener}; every knob has a documented default. */
public final class HttpListenerBuilder {
  /** The default interface: loopback only. */
  public static final String DEFAULT_BIND = "127.0.0.1";

  /** Jetty's own threads (selector, acceptor, body reads): they never block, so few suffice. */
  private static final int IO_THREADS = 12;

  private static final int BACKLOG = 128;

  private String name = "http";
  private String bind = DEFAULT_BIND;
  private int port;
  private HttpLimits limits = HttpLimits.defaults();
  private TlsOptions tls;
  private BearerToken token;
  private final Set<String> openPaths = new LinkedHashSet<>();
  private final Map<String, HttpHandler> routes = new LinkedHashMap<>();
  private RejectionResponder responder = RejectionResponder.json();

  HttpListenerBuilder() {}

  /** A name for threads, logs and messages; default {@code http}. */
  public HttpListenerBuilder name(String name) {
    this.name = Objects.requireNonNull(name, "name");
    return this;
  }

  /** The interface to listen on; default {@value #DEFAULT_BIND}. */
  public HttpListenerBuilder bind(String bind) {
    this.bind = Objects.requireNonNull(bind, "bind");
    return this;
  }

  /** The port; 0 (the default) for any free port. */
  public HttpListenerBuilder port(int port) {
    this.port = port;
    return this;
  }

  /** The limits; default {@link HttpLimits#defaults()}. */
  public HttpListenerBuilder limits(HttpLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  /** Serves HTTPS with this keystore; default plain HTTP. */
  public HttpListenerBuilder tls(TlsOptions tls) {
    this.tls = tls;
    return this;
  }

  /** Requires this token on every route but the {@link #openPath open paths}; default none. */
  public HttpListenerBuilder token(BearerToken token) {
    this.token = token;
    return this;
  }

  /** A path (exact match) served without the token, such as {@code /health}. */
  public HttpListenerBuilder openPath(String path) {
    openPaths.add(checkPath(path));
    return this;
  }

  /**
   * Serves requests whose path starts with {@code pathPrefix} (the longest matching prefix wins, as
   * in the JDK server) with {@code handler}, on a worker thread, once the body was read whole. The
   * exchange is closed when {@code handle} returns.
   *
   * @throws IllegalArgumentException if the prefix does not start with / or is taken
   */
  public HttpListenerBuilder route(String pathPrefix, HttpHandler handler) {
    Objects.requireNonNull(handler, "handler");
    if (routes.putIfAbsent(checkPath(pathPrefix), handler) != null) {
      throw new IllegalArgumentException("the route " + pathPrefix + " is already taken");
    }
    return this;
  }

  /** Words the bodies of the listener's own rejections; default {@link RejectionResponder#json}. */
  public HttpListenerBuilder rejectionResponder(RejectionResponder responder) {
    this.responder = Objects.requireNonNull(responder, "rejectionResponder");
    return this;
  }

  /**
   * Binds the port without accepting yet; call {@link HttpListener#start()}.
   *
   * @throws IllegalArgumentException if a parameter is out of range or the keystore unusable
   * @throws UncheckedIOException if the port cannot be bound
   */
  public HttpListener build() {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
    }
    if (routes.isEmpty()) {
      throw new IllegalArgumentException("at least one route is needed");
    }
    String password = tls == null ? null : checkKeystore(tls);
    ThreadPoolExecutor workers = workers();
    List<Route> table = new ArrayList<>();
    routes.forEach((path, handler) -> table.add(new Route(path, handler)));
    table.sort(Comparator.comparingInt((Route r) -> r.getPath().length()).reversed());
    GuardHandler guard = new GuardHandler(table, token, openPaths, limits, responder, workers);

    // Jetty's queue stays unbounded, as Jetty asks: its tasks are bounded by the connections.
    QueuedThreadPool io = new QueuedThreadPool(IO_THREADS, 2, 60_000);
    io.setName("vigil-" + name + "-io");
    io.setDaemon(true);
    Server server = new Server(io);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendXPoweredBy(false);
    ConnectionFactory[] factories;
    if (tls == null) {
      factories = new ConnectionFactory[] {new HttpConnectionFactory(config)};
    } else {
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      // One certificate for whatever name clients use (an address, a load balancer's name).
      secure.setSniHostCheck(false);
      config.addCustomizer(secure);
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStorePath(tls.keystore().toAbsolutePath().toString());
      ssl.setKeyStoreType("PKCS12");
      ssl.setKeyStorePassword(password);
      factories =
          new ConnectionFactory[] {
            new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(config)
          };
    }
    ServerConnector connector = new ServerConnector(server, 1, 1, factories);
    connector.setHost(bind);
    connector.setPort(port);
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    connector.setAcceptQueueSize(BACKLOG);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
    server.setHandler(guard);
    try {
      connector.open();
    } catch (IOException e) {
      workers.shutdownNow();
      throw new UncheckedIOException("cannot listen on " + bind + ":" + port + ": " + e, e);
    }
    return new HttpListener(name, server, connector, guard, workers, tls != null, token != null);
  }

  private ThreadPoolExecutor workers() {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(
        limits.workerThreads(),
        limits.workerThreads(),
        0,
        TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(limits.maxQueuedRequests()),
        r -> {
          Thread t = new Thread(r, "vigil-" + name + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        },
        new ThreadPoolExecutor.AbortPolicy());
  }

  /** Opens the keystore once, so a wrong path or password fails here with a clear message. */
  private static String checkKeystore(TlsOptions tls) {
    String password = tls.password();
    try (InputStream in = Files.newInputStream(tls.keystore())) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      if (store.size() == 0) {
        throw new IllegalArgumentException("the TLS keystore " + tls.keystore() + " is empty");
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot open the TLS keystore "
              + tls.keystore()
              + " as PKCS12 with the password in "
              + tls.passwordFile()
              + ": "
              + e.getMessage());
    }
    return password;
  }

  private static String checkPath(String path) {
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("a path must start with /, got \"" + path + "\"");
    }
    return path;
  }
}

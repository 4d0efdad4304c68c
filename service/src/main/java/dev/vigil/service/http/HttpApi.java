package dev.vigil.service.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.ingest.http.server.BearerToken;
import dev.vigil.ingest.http.server.HttpLimits;
import dev.vigil.ingest.http.server.HttpListener;
import dev.vigil.ingest.http.server.HttpListenerBuilder;
import dev.vigil.ingest.http.server.TlsOptions;
import dev.vigil.nlq.Conversations;
import dev.vigil.nlq.DiagnosticAnswerer;
import dev.vigil.nlq.QuestionParser;
import dev.vigil.service.pipeline.PipelineLiveState;
import dev.vigil.service.pipeline.VigilPipeline;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: {@code GET /api/ask?q=}, {@code GET /api/incidents}, {@code GET /api/topology},
 * {@code GET /health}, {@code GET /ready} and {@code GET /metrics} (Prometheus text format), plus
 * any route added with {@link Builder#route}. Served by an {@link HttpListener} (timeouts, bounded
 * connections and workers, 413, 503 with {@code Retry-After}; see docs/http.md).
 *
 * <p>Bound to loopback by default. Bound elsewhere it needs a bearer token ({@link BearerToken},
 * from {@value BearerToken#ENV} or a file), which every route but {@code /health} and {@code
 * /ready} then requires; TLS when a PKCS12 keystore is given.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  /** The default port (config key {@code http.port}). */
  public static final int DEFAULT_PORT = 8080;

  /** The default body limit: the API's requests are small. */
  public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

  /** Routes open without the token: probes must work without secrets. */
  public static final String HEALTH = "/health";

  /** See {@link #HEALTH}. */
  public static final String READY = "/ready";

  private final HttpListener listener;

  private HttpApi(HttpListener listener) {
    this.listener = listener;
  }

  /** A builder with the documented defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts serving. */
  public void start() {
    listener.start();
    log.info("HTTP API listening: {}", listener);
  }

  /** The address served, with the actual port when 0 was asked for. */
  public InetSocketAddress address() {
    return listener.address();
  }

  /** Whether the API is served over TLS. */
  public boolean secure() {
    return listener.secure();
  }

  @Override
  public void close() {
    listener.close();
  }

  /** Scheme, address and whether a token is required; never the token. */
  @Override
  public String toString() {
    return "HttpApi[" + listener + "]";
  }

  static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  /**
   * Builds an {@link HttpApi}. The pipeline, answerer and registry are each optional: without one,
   * its routes are not served (tests, or a process that has no pipeline).
   */
  public static final class Builder {
    private String bind = HttpListenerBuilder.DEFAULT_BIND;
    private int port = DEFAULT_PORT;
    private PrometheusMeterRegistry registry;
    private java.util.function.Supplier<VigilPipeline> pipeline;
    private DiagnosticAnswerer answerer;
    private VigilPipeline fixed;
    private PipelineLiveState live;
    private Readiness readiness = Readiness.always();
    private BearerToken token;
    private TlsOptions tls;
    private HttpLimits limits =
        HttpLimits.defaults()
            .withMaxBodyBytes(DEFAULT_MAX_BODY_BYTES)
            .withMaxBufferedBytes(16 * DEFAULT_MAX_BODY_BYTES);
    private final Map<String, HttpHandler> routes = new LinkedHashMap<>();

    private Builder() {}

    /**
     * The interface to listen on (config key {@code http.bind}); default {@code 127.0.0.1}. Any
     * other than a loopback address needs a {@link #token}.
     */
    public Builder bind(String bind) {
      this.bind = Objects.requireNonNull(bind, "bind");
      return this;
    }

    /** The port (config key {@code http.port}); default {@value HttpApi#DEFAULT_PORT}, 0 any. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Serves {@code GET /metrics} from this registry. */
    public Builder registry(PrometheusMeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    /** Serves {@code /api/incidents} and {@code /api/topology} (and with an answerer, ask). */
    public Builder pipeline(VigilPipeline pipeline) {
      this.pipeline = () -> pipeline;
      this.fixed = pipeline;
      return this;
    }

    /**
     * The live state the assistant and the UI read (a listener of the engines); by default one over
     * the pipeline.
     */
    public Builder liveState(PipelineLiveState live) {
      this.live = live;
      return this;
    }

    /**
     * As {@link #pipeline(VigilPipeline)}, for a window engine that may run on another instance
     * (the supplier gives null then, and the routes answer 503 saying so).
     */
    public Builder pipeline(java.util.function.Supplier<VigilPipeline> pipeline) {
      this.pipeline = pipeline;
      return this;
    }

    /** The engine's pipeline, or null after answering 503 when it does not run here. */
    private VigilPipeline engine(HttpExchange ex) throws IOException {
      VigilPipeline p = pipeline.get();
      if (p == null) {
        Responses.json(
            ex,
            503,
            Map.of(
                "error",
                "the window engine does not run on this instance (it runs on one instance of"
                    + " the application at a time; it is starting, or moved); try again or ask"
                    + " another instance"));
      }
      return p;
    }

    /** Answers {@code GET /api/ask?q=} on the pipeline's diagnostic context. */
    public Builder answerer(DiagnosticAnswerer answerer) {
      this.answerer = answerer;
      return this;
    }

    /** What {@code GET /ready} says; default always ready. */
    public Builder readiness(Readiness readiness) {
      this.readiness = Objects.requireNonNull(readiness, "readiness");
      return this;
    }

    /**
     * The bearer token every route but {@code /health} and {@code /ready} requires (config key
     * {@code http.token-file}, or {@value BearerToken#ENV}; see {@link BearerToken#resolve});
     * default none, which only a loopback bind allows.
     */
    public Builder token(BearerToken token) {
      this.token = token;
      return this;
    }

    /**
     * TLS with a PKCS12 keystore (config keys {@code http.tls.keystore}, {@code
     * http.tls.keystore-password-file}); default plain HTTP.
     */
    public Builder tls(TlsOptions tls) {
      this.tls = tls;
      return this;
    }

    /** Connection, worker, timeout and body limits; default {@link HttpLimits} with 1 MiB. */
    public Builder limits(HttpLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Serves requests whose path starts with {@code pathPrefix} with {@code handler} (the longest
     * prefix wins). The handler checks the method itself (GET, POST, ...); it runs on a worker with
     * the whole body read, behind the token when one is set.
     *
     * @throws IllegalArgumentException if the prefix is taken
     */
    public Builder route(String pathPrefix, HttpHandler handler) {
      Objects.requireNonNull(pathPrefix, "pathPrefix");
      Objects.requireNonNull(handler, "handler");
      if (routes.putIfAbsent(pathPrefix, handler) != null) {
        throw new IllegalArgumentException("the route " + pathPrefix + " is already taken");
      }
      return this;
    }

    /**
     * Binds the port without serving yet; call {@link HttpApi#start()}.
     *
     * @throws IllegalArgumentException if bound off loopback without a token, or a parameter is out
     *     of range
     * @throws java.io.UncheckedIOException if the port cannot be bound
     */
    public HttpApi build() {
      if (token == null && !loopback(bind)) {
        throw new IllegalArgumentException(
            "the HTTP API would listen on "
                + bind
                + ", which is not a loopback address, without a bearer token: set one with the"
                + " environment variable "
                + BearerToken.ENV
                + " or http.token-file (every route but /health and /ready will then need"
                + " 'Authorization: Bearer <token>'), or keep http.bind at 127.0.0.1");
      }
      HttpListenerBuilder b =
          HttpListener.builder()
              .name("http-api")
              .bind(bind)
              .port(port)
              .limits(limits)
              .tls(tls)
              .token(token)
              .openPath(HEALTH)
              .openPath(READY)
              .route(HEALTH, get(ex -> Responses.json(ex, 200, Map.of("status", "UP"))))
              .route(READY, get(this::ready));
      if (registry != null) {
        b.route("/metrics", get(this::metrics));
      }
      if (pipeline != null) {
        b.route(
            "/api/incidents",
            get(
                ex -> {
                  VigilPipeline p = engine(ex);
                  if (p != null) {
                    Responses.json(ex, 200, p.incidents());
                  }
                }));
        b.route("/api/topology", get(this::topology));
        if (answerer != null) {
          PipelineLiveState state = live != null ? live : PipelineLiveState.over(pipeline);
          if (live == null && fixed != null) {
            fixed.addListener(state);
          }
          b.route("/api/ask", new AskHandler(state, new Conversations(answerer)));
          b.route("/", new WebUi(state));
          // The embedding model takes seconds to load: not on the first question's time.
          Thread warmUp = new Thread(QuestionParser::warmUp, "vigil-nlq-warm-up");
          warmUp.setDaemon(true);
          warmUp.start();
        }
      }
      routes.forEach(b::route);
      return new HttpApi(b.build());
    }

    private static boolean loopback(String bind) {
      try {
        return InetAddress.getByName(bind).isLoopbackAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("http.bind: cannot resolve the address " + bind);
      }
    }

    private static HttpHandler get(HttpHandler handler) {
      return ex -> {
        if (Responses.allow(ex, "GET")) {
          handler.handle(ex);
        }
      };
    }

    private void ready(HttpExchange ex) throws IOException {
      Readiness.Status status;
      try {
        status = readiness.check();
      } catch (RuntimeException e) {
        log.warn("the readiness check failed", e);
        status = Readiness.Status.notReady("the readiness check failed: " + e);
      }
      if (status.ready()) {
        Responses.json(ex, 200, Map.of("status", "READY"));
      } else {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "NOT_READY");
        body.put("reason", status.reason());
        Responses.json(ex, 503, body);
      }
    }

    private void topology(HttpExchange ex) throws IOException {
      VigilPipeline p = engine(ex);
      if (p == null) {
        return;
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("services", p.graph().services());
      body.put("edges", p.graph().edges());
      Responses.json(ex, 200, body);
    }

    private void metrics(HttpExchange ex) throws IOException {
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      Responses.send(ex, 200, body);
    }
  }
}

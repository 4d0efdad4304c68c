package dev.vigil.ingest.http;

import dev.vigil.ingest.TelemetrySink;
import dev.vigil.ingest.http.server.BearerToken;
import dev.vigil.ingest.http.server.HttpLimits;
import dev.vigil.ingest.http.server.HttpListener;
import dev.vigil.ingest.http.server.HttpListenerBuilder;
import dev.vigil.ingest.http.server.TlsOptions;
import dev.vigil.ingest.internal.IngestMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** Builds an {@link OtlpHttpReceiver}; every knob has a documented default. */
public final class OtlpHttpReceiverBuilder {
  private String bind = HttpListenerBuilder.DEFAULT_BIND;
  private int port = OtlpHttpReceiver.DEFAULT_PORT;
  private HttpLimits limits =
      HttpLimits.defaults()
          .withMaxBodyBytes(OtlpHttpReceiver.DEFAULT_MAX_BODY_BYTES)
          .withRetryAfter(OtlpHttpReceiver.DEFAULT_RETRY_AFTER);
  private int maxInFlight = OtlpHttpReceiver.DEFAULT_MAX_IN_FLIGHT;
  private TlsOptions tls;
  private BearerToken token;
  private MeterRegistry registry;
  private Clock clock = Clock.systemUTC();
  private Duration maxFutureSkew = OtlpHttpReceiver.DEFAULT_MAX_FUTURE_SKEW;

  OtlpHttpReceiverBuilder() {}

  /** The interface to listen on; default {@code 127.0.0.1} (config key {@code otlp.bind}). */
  public OtlpHttpReceiverBuilder bind(String bind) {
    this.bind = Objects.requireNonNull(bind, "bind");
    return this;
  }

  /**
   * The port; default {@value OtlpHttpReceiver#DEFAULT_PORT}, 0 for any free port (config key
   * {@code otlp.port}).
   */
  public OtlpHttpReceiverBuilder port(int port) {
    this.port = port;
    return this;
  }

  /**
   * Connection, worker, timeout and buffer limits; default {@link HttpLimits#defaults()} with a 20
   * MiB body limit. Replaces what {@link #maxBodyBytes} and {@link #retryAfter} set before.
   */
  public OtlpHttpReceiverBuilder limits(HttpLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  /**
   * The most bytes a body may have, as sent and after gunzip; default 20 MiB. Shorthand for the
   * limits' {@code maxBodyBytes}.
   */
  public OtlpHttpReceiverBuilder maxBodyBytes(int maxBodyBytes) {
    if (maxBodyBytes <= 0) {
      throw new IllegalArgumentException(
          "maxBodyBytes must be greater than 0, got " + maxBodyBytes);
    }
    this.limits = limits.withMaxBodyBytes(maxBodyBytes);
    return this;
  }

  /**
   * How many exports may be decoded and handed to the sink at once; the next gets 429. Default
   * {@value OtlpHttpReceiver#DEFAULT_MAX_IN_FLIGHT}. The listener gets at least {@code maxInFlight
   * + 2} workers, so that a throttled export is answered at once.
   */
  public OtlpHttpReceiverBuilder maxInFlight(int maxInFlight) {
    this.maxInFlight = maxInFlight;
    return this;
  }

  /**
   * The {@code Retry-After} sent with 429 and 503, rounded up to whole seconds; default 1 s.
   * Shorthand for the limits' {@code retryAfter}.
   */
  public OtlpHttpReceiverBuilder retryAfter(Duration retryAfter) {
    Objects.requireNonNull(retryAfter, "retryAfter");
    if (retryAfter.isNegative() || retryAfter.isZero()) {
      throw new IllegalArgumentException("retryAfter must be positive, got " + retryAfter);
    }
    this.limits = limits.withRetryAfter(retryAfter);
    return this;
  }

  /** Serves HTTPS with this PKCS12 keystore; default plain HTTP. */
  public OtlpHttpReceiverBuilder tls(TlsOptions tls) {
    this.tls = tls;
    return this;
  }

  /**
   * Requires {@code Authorization: Bearer <token>} on every export (an SDK sends it with {@code
   * OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20<token>}); default none.
   */
  public OtlpHttpReceiverBuilder token(BearerToken token) {
    this.token = token;
    return this;
  }

  /** The clock that decides which timestamps lie too far in the future; default UTC system. */
  public OtlpHttpReceiverBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * How far after the clock's now an item's timestamps may lie; default one hour. Items beyond are
   * rejected in a partial success with reason {@code timestamp_out_of_range}.
   */
  public OtlpHttpReceiverBuilder maxFutureSkew(Duration maxFutureSkew) {
    this.maxFutureSkew = Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
    return this;
  }

  /** Where the ingest counters go; default a private {@link SimpleMeterRegistry}. */
  public OtlpHttpReceiverBuilder meterRegistry(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "meterRegistry");
    return this;
  }

  /**
   * Binds the port (so a port in use fails here) without accepting yet; call {@link
   * OtlpHttpReceiver#start()}.
   *
   * @throws IllegalArgumentException if a parameter is out of range
   * @throws java.io.UncheckedIOException if the port cannot be bound
   */
  public OtlpHttpReceiver build(TelemetrySink sink) {
    Objects.requireNonNull(sink, "sink");
    if (maxInFlight <= 0) {
      throw new IllegalArgumentException("maxInFlight must be greater than 0, got " + maxInFlight);
    }
    if (limits.maxBodyBytes() > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "maxBodyBytes must be less than 2 GiB, got " + limits.maxBodyBytes());
    }
    if (maxFutureSkew.isNegative() || maxFutureSkew.compareTo(Duration.ofDays(36_500)) > 0) {
      throw new IllegalArgumentException(
          "maxFutureSkew must be between 0 and 100 years, got " + maxFutureSkew);
    }
    OtlpHttpHandler handler =
        new OtlpHttpHandler(
            TelemetrySink.serialized(sink),
            new IngestMetrics(
                registry == null ? new SimpleMeterRegistry() : registry,
                IngestMetrics.SOURCE_OTLP_HTTP),
            (int) limits.maxBodyBytes(),
            maxInFlight,
            limits.retryAfter(),
            clock,
            maxFutureSkew);
    HttpListener listener =
        HttpListener.builder()
            .name("otlp-http")
            .bind(bind)
            .port(port)
            .limits(limits.withWorkerThreads(Math.max(limits.workerThreads(), maxInFlight + 2)))
            .tls(tls)
            .token(token)
            .route("/", handler)
            .rejectionResponder(handler::rejection)
            .build();
    return new OtlpHttpReceiver(listener, handler);
  }
}

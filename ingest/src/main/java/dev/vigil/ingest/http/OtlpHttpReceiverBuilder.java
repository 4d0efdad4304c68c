package dev.vigil.ingest.http;

import dev.vigil.ingest.TelemetrySink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** Builds an {@link OtlpHttpReceiver}; every knob has a documented default. */
public final class OtlpHttpReceiverBuilder {
  private String host = "127.0.0.1";
  private int port = OtlpHttpReceiver.DEFAULT_PORT;
  private int maxBodyBytes = OtlpHttpReceiver.DEFAULT_MAX_BODY_BYTES;
  private int maxInFlight = OtlpHttpReceiver.DEFAULT_MAX_IN_FLIGHT;
  private Duration retryAfter = OtlpHttpReceiver.DEFAULT_RETRY_AFTER;
  private MeterRegistry registry;
  private Clock clock = Clock.systemUTC();
  private Duration maxFutureSkew = OtlpHttpReceiver.DEFAULT_MAX_FUTURE_SKEW;

  OtlpHttpReceiverBuilder() {}

  /** The interface to listen on; default {@code 127.0.0.1}. */
  public OtlpHttpReceiverBuilder host(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  /** The port; default {@value OtlpHttpReceiver#DEFAULT_PORT}, 0 for any free port. */
  public OtlpHttpReceiverBuilder port(int port) {
    this.port = port;
    return this;
  }

  /** The most bytes a body may have, as sent and after gunzip; default 20 MiB. */
  public OtlpHttpReceiverBuilder maxBodyBytes(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
    return this;
  }

  /**
   * How many exports may be read, decoded and handed to the sink at once; the next gets 429. Also
   * bounds memory: at most {@code maxInFlight * maxBodyBytes} of bodies. Default {@value
   * OtlpHttpReceiver#DEFAULT_MAX_IN_FLIGHT}.
   */
  public OtlpHttpReceiverBuilder maxInFlight(int maxInFlight) {
    this.maxInFlight = maxInFlight;
    return this;
  }

  /** The {@code Retry-After} sent with 429 and 503, rounded up to whole seconds; default 1 s. */
  public OtlpHttpReceiverBuilder retryAfter(Duration retryAfter) {
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
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
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
    }
    if (maxBodyBytes <= 0) {
      throw new IllegalArgumentException(
          "maxBodyBytes must be greater than 0, got " + maxBodyBytes);
    }
    if (maxInFlight <= 0) {
      throw new IllegalArgumentException("maxInFlight must be greater than 0, got " + maxInFlight);
    }
    if (retryAfter.isNegative() || retryAfter.isZero()) {
      throw new IllegalArgumentException("retryAfter must be positive, got " + retryAfter);
    }
    if (maxFutureSkew.isNegative() || maxFutureSkew.compareTo(Duration.ofDays(36_500)) > 0) {
      throw new IllegalArgumentException(
          "maxFutureSkew must be between 0 and 100 years, got " + maxFutureSkew);
    }
    return new OtlpHttpReceiver(
        new InetSocketAddress(host, port),
        sink,
        registry == null ? new SimpleMeterRegistry() : registry,
        maxBodyBytes,
        maxInFlight,
        retryAfter,
        clock,
        maxFutureSkew);
  }
}

package dev.vigil.ingest.http;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.ingest.TelemetrySink;
import dev.vigil.ingest.internal.IngestMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OTLP/HTTP receiver (OTLP specification 1.x, "OTLP/HTTP"): {@code POST /v1/traces}, {@code
 * /v1/metrics} and {@code /v1/logs} with {@code application/x-protobuf} or {@code application/json}
 * bodies, optionally {@code Content-Encoding: gzip}. Decoded items go to a {@link TelemetrySink}
 * (lane {@value OtlpHttpHandler#LANE}); the response follows the specification:
 *
 * <ul>
 *   <li>200 with the signal's {@code Export*ServiceResponse}, {@code partial_success} set with the
 *       rejected count and a message when some items were invalid (ids, timestamps, values);
 *   <li>400 with a {@code google.rpc.Status} for a body that cannot be decoded or unzipped;
 *   <li>413 when the body exceeds the limit, as sent or after gunzip (checked while reading);
 *   <li>415 for another media type or content coding; 404 for another path; 405 for another method;
 *   <li>429 with {@code Retry-After} when {@code maxInFlight} exports are already being handled
 *       (back-pressure from a slow sink), 503 with {@code Retry-After} while shutting down;
 *   <li>500 when the sink throws (not retryable: the same export would fail again).
 * </ul>
 *
 * Error bodies use the request's encoding (protobuf when it was not understood). Everything is
 * counted in the ingest counters with {@code source=otlp_http} (see {@link IngestMetrics}).
 *
 * <p>The sink is called from the receiver's worker threads one export at a time (it is wrapped with
 * {@link TelemetrySink#serialized}); pass the same serialized sink to other sources that feed it.
 *
 * <p>Built on the JDK's {@code com.sun.net.httpserver}: HTTP/1.1 with keep-alive is all OTLP/HTTP
 * needs, it adds no dependency (the service's API uses it too), and the limits that matter here
 * (body size, in-flight exports) are enforced in the handler either way. Workers: {@code
 * maxInFlight + 2} threads, so that a throttled request is answered at once; connections waiting
 * for a worker queue up to a bound, beyond which they run on the accepting thread, which slows
 * accepting new connections (TCP back-pressure).
 */
public final class OtlpHttpReceiver implements AutoCloseable {
  /** The OTLP/HTTP default port. */
  public static final int DEFAULT_PORT = 4318;

  /** The default body limit, 20 MiB, as the OTLP specification recommends. */
  public static final int DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;

  /** The default number of exports handled at once; more get 429. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 8;

  /**
   * How far in the future an item's timestamps may lie by default: one hour of sender clock skew.
   * Later items are rejected ({@code timestamp_out_of_range}) in a partial success, since one
   * far-future span would drag event time, and so every feature window, ahead.
   */
  public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofHours(1);

  /** The default {@code Retry-After} of a 429 or 503. */
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  static final Duration STOP_DELAY = Duration.ofSeconds(1);
  private static final int ACCEPT_QUEUE = 256;

  private final HttpServer server;
  private final ThreadPoolExecutor workers;
  private final OtlpHttpHandler handler;
  private boolean started;
  private boolean closed;

  OtlpHttpReceiver(
      InetSocketAddress address,
      TelemetrySink sink,
      MeterRegistry registry,
      int maxBodyBytes,
      int maxInFlight,
      Duration retryAfter,
      Clock clock,
      Duration maxFutureSkew) {
    this.handler =
        new OtlpHttpHandler(
            TelemetrySink.serialized(sink),
            new IngestMetrics(registry, IngestMetrics.SOURCE_OTLP_HTTP),
            maxBodyBytes,
            maxInFlight,
            retryAfter,
            clock,
            maxFutureSkew);
    AtomicInteger n = new AtomicInteger();
    int threads = maxInFlight + 2;
    this.workers =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(ACCEPT_QUEUE),
            r -> {
              Thread t = new Thread(r, "vigil-otlp-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.CallerRunsPolicy());
    try {
      this.server = HttpServer.create(address, 0);
    } catch (IOException e) {
      workers.shutdownNow();
      throw new UncheckedIOException("cannot listen on " + address, e);
    }
    server.createContext("/", handler);
    server.setExecutor(workers);
  }

  /** Returns a builder with the documented defaults. */
  public static OtlpHttpReceiverBuilder builder() {
    return new OtlpHttpReceiverBuilder();
  }

  /**
   * Starts accepting exports.
   *
   * @throws IllegalStateException if already started or closed
   */
  public synchronized void start() {
    if (started || closed) {
      throw new IllegalStateException(
          "the receiver was already " + (closed ? "closed" : "started"));
    }
    started = true;
    server.start();
  }

  /** The address the receiver listens on (with the actual port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /**
   * Stops accepting: exports arriving meanwhile get 503, those in flight finish (up to one second).
   * Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      handler.drain(STOP_DELAY);
      if (started) {
        server.stop(0);
      }
      workers.shutdown();
      if (!workers.awaitTermination(STOP_DELAY.toMillis(), TimeUnit.MILLISECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}

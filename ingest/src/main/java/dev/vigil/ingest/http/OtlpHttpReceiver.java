package dev.vigil.ingest.http;

import dev.vigil.ingest.TelemetrySink;
import dev.vigil.ingest.http.server.HttpListener;
import dev.vigil.ingest.internal.IngestMetrics;
import java.net.InetSocketAddress;
import java.time.Duration;

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
 *   <li>413 when the body exceeds the limit: from {@code Content-Length} before the body is read,
 *       while reading a chunked body, and after gunzip;
 *   <li>415 for another media type or content coding; 404 for another path; 405 for another method;
 *   <li>429 with {@code Retry-After} when {@code maxInFlight} exports are already being handled
 *       (back-pressure from a slow sink), 503 with {@code Retry-After} while shutting down or when
 *       the listener is overloaded (worker queue or body buffer full); 408 for a body that stalls;
 *       401 without the bearer token when one is configured;
 *   <li>500 when the sink throws (not retryable: the same export would fail again).
 * </ul>
 *
 * Error bodies use the request's encoding (protobuf when it was not understood). Everything is
 * counted in the ingest counters with {@code source=otlp_http} (see {@link IngestMetrics}).
 *
 * <p>The sink is called from the receiver's worker threads one export at a time (it is wrapped with
 * {@link TelemetrySink#serialized}); pass the same serialized sink to other sources that feed it.
 *
 * <p>Served by an {@link HttpListener} (Jetty 12): bodies are read without a thread, stalled
 * clients are timed out, connections, workers and buffered bytes are bounded (see {@link
 * dev.vigil.ingest.http.server.HttpLimits}), so a valid export is answered while hundreds of
 * connections sit stalled mid-body. Optional TLS and bearer token, as for the HTTP API.
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

  private final HttpListener listener;
  private final OtlpHttpHandler handler;
  private boolean closed;

  OtlpHttpReceiver(HttpListener listener, OtlpHttpHandler handler) {
    this.listener = listener;
    this.handler = handler;
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
    listener.start();
  }

  /** The address the receiver listens on (with the actual port when 0 was asked for). */
  public InetSocketAddress address() {
    return listener.address();
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
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      listener.close();
    }
  }

  /** The listener underneath (tests look at its buffered bytes). */
  HttpListener listener() {
    return listener;
  }

  @Override
  public String toString() {
    return "OtlpHttpReceiver[" + listener + "]";
  }
}

package dev.vigil.ingest.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.ingest.TelemetrySink;
import dev.vigil.ingest.http.server.Rejection;
import dev.vigil.ingest.http.server.RejectionResponder;
import dev.vigil.ingest.internal.IngestMetrics;
import dev.vigil.telemetry.EpochNanos;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.otlp.DecodeResult;
import dev.vigil.telemetry.otlp.OtlpDecodeException;
import dev.vigil.telemetry.otlp.OtlpDecoder;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one OTLP/HTTP export: route, check method and media type, take an in-flight permit, read
 * the body within the limit, decode leniently, hand the valid items to the sink, answer. Every
 * error becomes a response with a {@code google.rpc.Status} body and a {@code
 * vigil.ingest.rejected} count by reason; nothing is dropped silently. Thread-safe.
 */
final class OtlpHttpHandler implements HttpHandler {
  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";

  /** The sink lane of every HTTP export (the feature windows track event time per lane). */
  static final String LANE = "otlp_http";

  private static final Logger LOG = LoggerFactory.getLogger(OtlpHttpHandler.class);

  private final TelemetrySink sink;
  private final IngestMetrics metrics;
  private final int maxBodyBytes;
  private final Semaphore inFlight;
  private final String retryAfterSeconds;
  private final Clock clock;
  private final long maxFutureSkewNanos;
  private final int maxInFlight;
  private volatile boolean closing;

  OtlpHttpHandler(
      TelemetrySink sink,
      IngestMetrics metrics,
      int maxBodyBytes,
      int maxInFlight,
      Duration retryAfter,
      Clock clock,
      Duration maxFutureSkew) {
    this.sink = sink;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
    this.inFlight = new Semaphore(maxInFlight);
    this.maxInFlight = maxInFlight;
    this.clock = clock;
    this.maxFutureSkewNanos = maxFutureSkew.toNanos();
    this.retryAfterSeconds = Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
  }

  /**
   * From now on every request gets 503 with {@code Retry-After}; waits up to {@code timeout} for
   * the exports in flight to finish.
   *
   * @return whether they all finished
   */
  boolean drain(Duration timeout) throws InterruptedException {
    closing = true;
    if (inFlight.tryAcquire(maxInFlight, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      inFlight.release(maxInFlight);
      return true;
    }
    return false;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Signal signal = signal(exchange.getRequestURI().getPath());
      OtlpEncoding encoding = null;
      try {
        if (signal == null) {
          throw new RequestRejected(
              404,
              RequestRejected.NOT_FOUND,
              "no OTLP endpoint at "
                  + exchange.getRequestURI().getPath()
                  + "; use /v1/traces, /v1/metrics or /v1/logs");
        }
        if (!exchange.getRequestMethod().equals("POST")) {
          exchange.getResponseHeaders().set("Allow", "POST");
          throw new RequestRejected(
              405,
              RequestRejected.METHOD_NOT_ALLOWED,
              exchange.getRequestMethod() + " is not allowed; OTLP/HTTP exports use POST");
        }
        encoding = encoding(exchange.getRequestHeaders().getFirst("Content-Type"));
        boolean gzip = gzip(exchange.getRequestHeaders().getFirst("Content-Encoding"));
        export(exchange, signal, encoding, gzip);
      } catch (RequestRejected e) {
        reject(exchange, signal, encoding, e);
      }
    }
  }

  private void export(HttpExchange exchange, Signal signal, OtlpEncoding encoding, boolean gzip)
      throws IOException, RequestRejected {
    if (closing) {
      throw retryLater(exchange, 503, RequestRejected.UNAVAILABLE, "the receiver is shutting down");
    }
    if (!inFlight.tryAcquire()) {
      throw retryLater(
          exchange, 429, RequestRejected.THROTTLED, "too many exports in flight; retry later");
    }
    try {
      byte[] body =
          RequestBody.decode(exchange.getRequestBody().readAllBytes(), gzip, maxBodyBytes);
      DecodeResult result = decode(signal, body, encoding, notAfter());
      if (result.batch().size() > 0) {
        try {
          sink.acceptExport(signal, result.batch(), body, encoding, LANE);
        } catch (RuntimeException e) {
          LOG.warn("the sink failed on an OTLP/HTTP {} export", IngestMetrics.tag(signal), e);
          throw new RequestRejected(
              500, RequestRejected.SINK_ERROR, "the export could not be processed: " + e);
        }
      }
      metrics.accepted(signal, result.batch().size());
      result
          .rejectedByReason()
          .forEach((reason, count) -> metrics.rejectedItems(signal, reason, count));
      if (result.rejected() > 0) {
        LOG.warn("OTLP/HTTP partial success: {}", ExportResponses.errorMessage(signal, result));
      }
      respond(exchange, 200, encoding, ExportResponses.of(signal, result, encoding));
    } finally {
      inFlight.release();
    }
  }

  /** The latest timestamp accepted: now plus the tolerated clock skew. */
  private long notAfter() {
    Instant now = clock.instant();
    long nowNanos = EpochNanos.of(now);
    return nowNanos + maxFutureSkewNanos;
  }

  private static DecodeResult decode(
      Signal signal, byte[] body, OtlpEncoding encoding, long notAfter) throws RequestRejected {
    try {
      return OtlpDecoder.decodePartial(signal, body, encoding, notAfter);
    } catch (OtlpDecodeException e) {
      throw new RequestRejected(400, e.reason(), e.getMessage());
    } catch (RuntimeException | StackOverflowError e) {
      // A decoder bug must not kill the worker; the client learns that this export failed.
      throw new RequestRejected(500, RequestRejected.DECODER_ERROR, "could not decode: " + e);
    }
  }

  private RequestRejected retryLater(HttpExchange exchange, int status, String reason, String msg) {
    exchange.getResponseHeaders().set("Retry-After", retryAfterSeconds);
    return new RequestRejected(status, reason, msg);
  }

  /**
   * The body of a response the listener gives itself (413 from {@code Content-Length}, 408, 503
   * when overloaded, ...): counted and worded like the handler's own rejections.
   */
  RejectionResponder.Body rejection(Rejection r) {
    Signal signal = signal(r.path());
    metrics.rejected(signal, r.reason());
    String message =
        r.reason().equals(Rejection.TOO_LARGE) ? r.message() + RequestBody.HINT : r.message();
    if (r.status() == 503 || r.status() == 429) {
      LOG.debug("OTLP/HTTP {}: {}", r.status(), message);
    } else {
      LOG.warn("OTLP/HTTP {} {}: {}", r.status(), r.reason(), message);
    }
    OtlpEncoding as;
    try {
      as = encoding(r.contentType());
    } catch (RequestRejected e) {
      as = OtlpEncoding.OTLP_PROTO;
    }
    return new RejectionResponder.Body(
        as == OtlpEncoding.OTLP_JSON ? JSON : PROTOBUF,
        status(as, r.status(), message, r.reason()));
  }

  private static byte[] status(OtlpEncoding as, int httpStatus, String message, String reason) {
    int code = RpcStatus.grpcCode(httpStatus);
    return as == OtlpEncoding.OTLP_JSON
        ? RpcStatus.json(code, message, "body", reason)
        : RpcStatus.protobuf(code, message, "body", reason);
  }

  private void reject(
      HttpExchange exchange, Signal signal, OtlpEncoding encoding, RequestRejected e)
      throws IOException {
    metrics.rejected(signal, e.reason());
    if (e.status() == 429 || e.status() == 503) {
      LOG.debug("OTLP/HTTP {}: {}", e.status(), e.getMessage());
    } else {
      LOG.warn("OTLP/HTTP {} {}: {}", e.status(), e.reason(), e.getMessage());
    }
    // A Status in the request's encoding; protobuf when the request's was not understood.
    OtlpEncoding as = encoding == null ? OtlpEncoding.OTLP_PROTO : encoding;
    respond(exchange, e.status(), as, status(as, e.status(), e.getMessage(), e.reason()));
  }

  private static void respond(HttpExchange exchange, int status, OtlpEncoding encoding, byte[] body)
      throws IOException {
    exchange
        .getResponseHeaders()
        .set("Content-Type", encoding == OtlpEncoding.OTLP_JSON ? JSON : PROTOBUF);
    // 0 would mean a chunked body to the JDK server; -1 means none.
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  static Signal signal(String path) {
    return switch (path) {
      case "/v1/traces" -> Signal.TRACES;
      case "/v1/metrics" -> Signal.METRICS;
      case "/v1/logs" -> Signal.LOGS;
      default -> null;
    };
  }

  static OtlpEncoding encoding(String contentType) throws RequestRejected {
    String mediaType =
        contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return switch (mediaType) {
      case PROTOBUF -> OtlpEncoding.OTLP_PROTO;
      case JSON -> OtlpEncoding.OTLP_JSON;
      default ->
          throw new RequestRejected(
              415,
              RequestRejected.UNSUPPORTED_MEDIA_TYPE,
              "Content-Type must be "
                  + PROTOBUF
                  + " or "
                  + JSON
                  + ", got "
                  + (contentType == null ? "none" : "\"" + contentType + "\""));
    };
  }

  static boolean gzip(String contentEncoding) throws RequestRejected {
    String coding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
    return switch (coding) {
      case "", "identity" -> false;
      case "gzip", "x-gzip" -> true;
      default ->
          throw new RequestRejected(
              415,
              RequestRejected.UNSUPPORTED_ENCODING,
              "Content-Encoding must be gzip or none, got \"" + contentEncoding + "\"");
    };
  }
}

package dev.vigil.ingest.http.server;

import java.time.Duration;

/**
 * The limits of an {@link HttpListener}; every one is checked when built, and every default is a
 * documented {@code DEFAULT_*} constant. Change one with its {@code with*} method: {@code
 * HttpLimits.defaults().withMaxBodyBytes(1 << 20)}.
 *
 * @param maxConnections the most open connections; further clients wait in the TCP backlog until
 *     one closes (the acceptor pauses)
 * @param workerThreads threads that run handlers; a request gets one only with its whole body
 * @param maxQueuedRequests requests with a whole body waiting for a worker; the next gets 503
 * @param idleTimeout how long a connection may send nothing: while the request line and headers
 *     arrive, between body bytes and between kept-alive requests. Then it is closed (408 when a
 *     body was being read)
 * @param bodyTimeout how long a whole body may take to arrive, however it trickles (408 beyond)
 * @param maxBodyBytes the most bytes a request body may have as sent (413 beyond)
 * @param maxBufferedBytes the most bytes of bodies held at once, being received, queued or handled;
 *     a body that would go beyond gets 503
 * @param retryAfter the {@code Retry-After} of a 429 or 503, sent rounded up to whole seconds
 */
public record HttpLimits(
    int maxConnections,
    int workerThreads,
    int maxQueuedRequests,
    Duration idleTimeout,
    Duration bodyTimeout,
    long maxBodyBytes,
    long maxBufferedBytes,
    Duration retryAfter) {
  /** The default {@link #maxConnections()}: idle connections cost Jetty only memory. */
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;

  /** The default {@link #workerThreads()}. */
  public static final int DEFAULT_WORKER_THREADS = 10;

  /** The default {@link #maxQueuedRequests()}. */
  public static final int DEFAULT_MAX_QUEUED_REQUESTS = 64;

  /** The default {@link #idleTimeout()}, 30 s. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

  /** The default {@link #bodyTimeout()}, 60 s. */
  public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(60);

  /** The default {@link #maxBodyBytes()}, 20 MiB (what the OTLP specification recommends). */
  public static final long DEFAULT_MAX_BODY_BYTES = 20L * 1024 * 1024;

  /** The default {@link #maxBufferedBytes()}, 160 MiB (eight bodies of the default limit). */
  public static final long DEFAULT_MAX_BUFFERED_BYTES = 8 * DEFAULT_MAX_BODY_BYTES;

  /** The default {@link #retryAfter()}, 1 s. */
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  /**
   * @throws IllegalArgumentException naming the parameter when one is out of range
   */
  public HttpLimits {
    positive("maxConnections", maxConnections);
    positive("workerThreads", workerThreads);
    positive("maxQueuedRequests", maxQueuedRequests);
    positive("idleTimeout", idleTimeout);
    positive("bodyTimeout", bodyTimeout);
    positive("maxBodyBytes", maxBodyBytes);
    positive("maxBufferedBytes", maxBufferedBytes);
    positive("retryAfter", retryAfter);
    if (maxBufferedBytes < maxBodyBytes) {
      throw new IllegalArgumentException(
          "maxBufferedBytes ("
              + maxBufferedBytes
              + ") must be at least maxBodyBytes ("
              + maxBodyBytes
              + "), or no body of the largest size could ever be taken");
    }
  }

  /** The documented defaults. */
  public static HttpLimits defaults() {
    return new HttpLimits(
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_WORKER_THREADS,
        DEFAULT_MAX_QUEUED_REQUESTS,
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_BODY_TIMEOUT,
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_MAX_BUFFERED_BYTES,
        DEFAULT_RETRY_AFTER);
  }

  public HttpLimits withMaxConnections(int value) {
    return new HttpLimits(
        value,
        workerThreads,
        maxQueuedRequests,
        idleTimeout,
        bodyTimeout,
        maxBodyBytes,
        maxBufferedBytes,
        retryAfter);
  }

  public HttpLimits withWorkerThreads(int value) {
    return new HttpLimits(
        maxConnections,
        value,
        maxQueuedRequests,
        idleTimeout,
        bodyTimeout,
        maxBodyBytes,
        maxBufferedBytes,
        retryAfter);
  }

  public HttpLimits withMaxQueuedRequests(int value) {
    return new HttpLimits(
        maxConnections,
        workerThreads,
        value,
        idleTimeout,
        bodyTimeout,
        maxBodyBytes,
        maxBufferedBytes,
        retryAfter);
  }

  public HttpLimits withIdleTimeout(Duration value) {
    return new HttpLimits(
        maxConnections,
        workerThreads,
        maxQueuedRequests,
        value,
        bodyTimeout,
        maxBodyBytes,
        maxBufferedBytes,
        retryAfter);
  }

  public HttpLimits withBodyTimeout(Duration value) {
    return new HttpLimits(
        maxConnections,
        workerThreads,
        maxQueuedRequests,
        idleTimeout,
        value,
        maxBodyBytes,
        maxBufferedBytes,
        retryAfter);
  }

  /** Also raises {@link #maxBufferedBytes()} to the new limit when it was below. */
  public HttpLimits withMaxBodyBytes(long value) {
    return new HttpLimits(
        maxConnections,
        workerThreads,
        maxQueuedRequests,
        idleTimeout,
        bodyTimeout,
        value,
        Math.max(value, maxBufferedBytes),
        retryAfter);
  }

  public HttpLimits withMaxBufferedBytes(long value) {
    return new HttpLimits(
        maxConnections,
        workerThreads,
        maxQueuedRequests,
        idleTimeout,
        bodyTimeout,
        maxBodyBytes,
        value,
        retryAfter);
  }

  public HttpLimits withRetryAfter(Duration value) {
    return new HttpLimits(
        maxConnections,
        workerThreads,
        maxQueuedRequests,
        idleTimeout,
        bodyTimeout,
        maxBodyBytes,
        maxBufferedBytes,
        value);
  }

  /** {@link #retryAfter()} as the header's whole seconds, rounded up. */
  public String retryAfterSeconds() {
    return Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be greater than 0, got " + value);
    }
  }

  private static void positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
    }
  }
}

/**
 * The HTTP listener under Vigil's two HTTP front doors (the OTLP/HTTP receiver and the HTTP API),
 * built to keep serving while clients misbehave. {@link dev.vigil.ingest.http.server.HttpListener}
 * runs {@code com.sun.net.httpserver.HttpHandler}s on Jetty 12's non-blocking connector and adds,
 * before a handler ever sees a request:
 *
 * <ul>
 *   <li>an idle timeout on every read (request line, headers, body) and on kept-alive connections,
 *       and a deadline for a whole body: a stalled client is cut off and holds no thread meanwhile;
 *   <li>bounded connections, a bounded pool of worker threads with a bounded queue, and a bound on
 *       the bytes of bodies held at once: beyond them, 503 with {@code Retry-After};
 *   <li>413 decided from {@code Content-Length} before any body byte is read, and while reading a
 *       chunked body once the limit is crossed;
 *   <li>an optional bearer token (constant-time comparison, never logged) and optional TLS.
 * </ul>
 *
 * Bodies are read without a thread (Jetty's demand callbacks) and handed whole to the handler on a
 * worker, so a hundred clients stalled mid-body cost memory for what they sent, not workers. {@link
 * dev.vigil.ingest.http.server.HttpLimits} holds the limits with their defaults.
 */
package dev.vigil.ingest.http.server;

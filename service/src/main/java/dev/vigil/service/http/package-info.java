/**
 * The HTTP API: questions, incidents, topology, health, readiness and Prometheus metrics, plus
 * routes other parts of the service add as {@code com.sun.net.httpserver.HttpHandler}s, served by
 * the hardened listener of {@code dev.vigil.ingest.http.server} (see docs/http.md).
 */
package dev.vigil.service.http;

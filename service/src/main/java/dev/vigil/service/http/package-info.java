/** The HTTP API: questions, incidents, health and Prometheus metrics, on the JDK's HTTP server. */
package dev.vigil.service.http;

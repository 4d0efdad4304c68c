/**
 * A simulated microservice shop whose spans are made by the OpenTelemetry Java SDK: a call graph
 * with fan-out and databases, load that varies over time, and injectable latency and error faults.
 * Used by {@code vigil demo}, the end-to-end tests and evaluation.
 *
 * <p>The simulator runs on a simulated clock ({@code start + speed x elapsed real time}) and gives
 * every span explicit start and end timestamps on that clock, so a 20x demo produces the same
 * telemetry as twenty times as long a run of a real system, and {@link
 * dev.vigil.trainingdata.sim.MicroserviceSimulator#runFor} can produce hours of it as fast as the
 * exporter takes it. Each service has its own {@code SdkTracerProvider} (so its own {@code
 * service.name} resource) and batch span processor; databases are not instrumented and appear, as
 * in real systems, only as client spans with {@code db.system} and {@code peer.service}.
 */
package dev.vigil.trainingdata.sim;

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
 *
 * <p>Optionally each instrumented service also has an {@code SdkMeterProvider} and an {@code
 * SdkLoggerProvider} with the same resource and a clock reading simulated time: request duration
 * histograms with exemplars, an error counter, CPU and memory that follow load and faults, a
 * response-size exponential histogram, and ERROR, WARN and INFO logs in the requests' span context
 * ({@code MetricsAndLogs}). Metrics are collected by the simulation loop itself at a simulated
 * interval. {@link dev.vigil.trainingdata.sim.KafkaSpanExporter}, {@link
 * dev.vigil.trainingdata.sim.KafkaMetricExporter} and {@link
 * dev.vigil.trainingdata.sim.KafkaLogExporter} write the three signals to Kafka as the Collector's
 * kafka exporter does. Databases stay uninstrumented: no resource metrics of their own; their
 * failures and slow queries show in their callers' logs.
 */
package dev.vigil.trainingdata.sim;

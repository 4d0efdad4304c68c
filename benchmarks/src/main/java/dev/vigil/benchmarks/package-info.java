/**
 * Benchmarks (STYLE.md 11: JMH lives here, never in tests). {@link
 * dev.vigil.benchmarks.DecodeBenchmark} compares the two protobuf trace decoders on simulator-made
 * OTLP; {@link dev.vigil.benchmarks.IngestThroughput} measures ingest end to end on a real broker
 * against Kafka's own consumer. Input always comes from the fault-injection simulator ({@link
 * dev.vigil.benchmarks.SimulatedTraffic}), so it is what an OpenTelemetry SDK sends. Commands and
 * results: {@code BENCHMARKS.md}.
 */
package dev.vigil.benchmarks;

/**
 * Windowed features computed from telemetry, the same code online (streaming) and offline (analysis
 * of files, training).
 *
 * <p>Spans are first assembled into traces ({@code TraceAssembler}), so that each span can be
 * related to its parent and children: this yields the call edges between services and each
 * request's <em>self time</em>, the part of its latency not spent waiting on downstream calls. Self
 * time is what lets root-cause analysis tell a slow service from a service that is merely waiting
 * on a slow dependency. Finished traces are then aggregated into event-time tumbling windows per
 * service, per operation and per call edge ({@link dev.vigil.features.SpanFeatureAggregator}). Time
 * is event time throughout: a watermark derived from the spans themselves decides when a trace is
 * complete and when a window closes.
 *
 * <p>Metric points and log records are windowed alongside, per service, by {@link
 * dev.vigil.features.SignalFeatureAggregator}: each OTLP metric type by its own semantics
 * (cumulative counters differenced into rates with counter-reset handling, histogram quantiles from
 * explicit or exponential buckets, summary quantiles as reported, exemplars kept to point at
 * traces), and logs by severity with error rates and their most frequent messages. The pipeline
 * closes those windows with the span windows of the same start and attaches them ({@link
 * dev.vigil.features.WindowFeatures#signals()}); {@link dev.vigil.features.ServiceSignals#values()}
 * names every scalar feature stably for the detectors.
 */
package dev.vigil.features;

/**
 * The service as a Kafka Streams topology: instances with one application id share the input
 * partitions; spans are re-keyed by trace id so that a trace is assembled on one instance; each
 * trace partition's windows travel as mergeable partials to one window engine (a single-partition
 * stage, like an incident engine that must see every service), which scores them and tracks
 * incidents and alerts. State lives in changelogged stores, so a restart or a rebalance restores
 * it; processing is exactly once ({@code exactly_once_v2}).
 *
 * <pre>
 * otlp_spans   -> SpanRouter (OTLP protobuf split on the wire by trace id; other records decoded,
 *                 bad -> dlq) -- by trace id --> &lt;app&gt;-spans-by-trace
 *              -> TraceWindowProcessor (decode, bad -> dlq; trace assembly, window partials; store
 *                 of the input offsets its open windows still need, re-read from
 *                 &lt;app&gt;-spans-by-trace on restore) --> &lt;app&gt;-window-partials (1 partition)
 * otlp_metrics, otlp_logs -> SignalRouter (decode; bad -> dlq) --> &lt;app&gt;-signals (1 partition)
 * window-partials + signals -> EngineProcessor (merge partials, attach metric and log
 *                 features, detectors, incidents, alerts; stores) --> vigil.anomalies, .alerts,
 *                 .incidents
 * </pre>
 */
package dev.vigil.service.streams;

/**
 * Ingest: reads OpenTelemetry data from Kafka and turns it into telemetry records.
 *
 * <p>{@link dev.vigil.ingest.KafkaTelemetrySource} consumes the topics the OpenTelemetry
 * Collector's kafka exporter writes ({@code otlp_spans}, {@code otlp_metrics}, {@code otlp_logs};
 * OTLP protobuf or OTLP/JSON, detected per message), decodes each message with {@link
 * dev.vigil.telemetry.otlp.OtlpDecoder} and hands the records to a {@link
 * dev.vigil.ingest.TelemetrySink}, by default on a sink thread of its own behind a bounded queue,
 * so that decoding and the sink's work overlap. Delivery is at least once: an offset is committed
 * only once the sink has finished its message.
 *
 * <p>Bad input never stops the stream. A message that cannot be decoded, is empty, or makes the
 * sink throw is written unchanged to the dead-letter topic ({@code vigil.dlq}) with {@code
 * vigil.dlq.*} headers giving the reason and its source topic, partition and offset, counted in
 * {@code vigil.ingest.dead_letters} and logged. A message some of whose items (spans, metric
 * points, log records) are invalid is dead-lettered the same way, with headers counting the
 * rejected and accepted items, while its valid items go on to the sink, as OTLP/HTTP's partial
 * success keeps them. {@link dev.vigil.ingest.KafkaTopics} holds the default topic names and
 * creates topics idempotently.
 *
 * <p>{@link dev.vigil.ingest.http.OtlpHttpReceiver} takes the same data over OTLP/HTTP and feeds
 * the same kind of sink; {@link dev.vigil.ingest.TelemetrySink#serialized} lets both feed one
 * single-threaded pipeline. Both count into the {@code vigil.ingest.*} counters with a {@code
 * source} tag.
 */
package dev.vigil.ingest;

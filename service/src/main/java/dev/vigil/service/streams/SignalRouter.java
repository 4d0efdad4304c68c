package dev.vigil.service.streams;

import dev.vigil.ingest.OtlpRecordDecoder;
import dev.vigil.telemetry.Signal;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes OTLP metric and log records, dead-letters what cannot be used, and sends the records that
 * hold valid items, as they came, to the window engine's single-partition signal topic with a
 * header naming the signal. The engine decodes them again and keeps the valid items: decoding twice
 * is cheaper than re-encoding metrics and logs, and their volume is small beside spans.
 */
final class SignalRouter implements Processor<byte[], byte[], byte[], byte[]> {
  static final String DLQ_SINK = "signal-router-dead-letters";
  static final String SIGNALS_SINK = "signals-sink";
  static final String SIGNAL_HEADER = "vigil.signal";

  private final OtlpRecordDecoder decoder;
  private ProcessorContext<byte[], byte[]> context;

  SignalRouter(OtlpRecordDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    OtlpRecordDecoder.Outcome outcome =
        decoder.decode(Decoding.consumerRecord(record, context.recordMetadata()));
    if (outcome.deadLetter() != null) {
      Decoding.deadLetter(context, DLQ_SINK, outcome.deadLetter(), record.timestamp());
    }
    if (outcome.batch() == null) {
      return;
    }
    RecordHeaders headers = new RecordHeaders();
    headers.add(SIGNAL_HEADER, outcome.signal().name().getBytes(StandardCharsets.US_ASCII));
    context.forward(new Record<>(null, record.value(), record.timestamp(), headers), SIGNALS_SINK);
  }

  static Signal signalOf(Record<byte[], byte[]> record) {
    var h = record.headers().lastHeader(SIGNAL_HEADER);
    return h == null ? null : Signal.valueOf(new String(h.value(), StandardCharsets.US_ASCII));
  }
}

package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.vigil.ingest.internal.IngestMetrics;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.TelemetryBatch;
import dev.vigil.telemetry.otlp.OtlpDecodeException;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * A Kafka record whose framing decodes but some of whose items are invalid: its valid items go to
 * the sink, it is dead-lettered for the others with their counts, and both are counted.
 */
class RecordHandlerRejectedItemsTest {
  private static final String TOPIC = "otlp_spans";
  private static final ByteString ZERO_TRACE_ID = ByteString.copyFrom(new byte[16]);

  private final MockProducer<byte[], byte[]> dlq =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final List<TelemetryBatch> delivered = new ArrayList<>();

  @Test
  void severalReasonsAreAllCountedAndTheFirstIsTheDeadLetterReasonAsItsMessageExplainsIt() {
    Span valid = HostileCorpus.span(1).build();
    byte[] value =
        traces(
            valid,
            HostileCorpus.span(3).setSpanId(ByteString.copyFrom(new byte[4])).build(),
            HostileCorpus.span(2).setEndTimeUnixNano(HostileCorpus.START - 1).build(),
            HostileCorpus.span(4).setEndTimeUnixNano(HostileCorpus.START - 1).build());

    IngestedRecord ingested = ingest(handler(OtlpEncoding.OTLP_PROTO), value);

    assertThat(delivered).singleElement().satisfies(b -> assertThat(b.spans()).hasSize(1));
    assertThat(ingested.newest()).isEqualTo(valid.getEndTimeUnixNano());
    ProducerRecord<byte[], byte[]> letter = onlyLetter();
    assertThat(letter.value()).isEqualTo(value);
    assertThat(header(letter, DeadLetters.REASON)).isEqualTo(OtlpDecodeException.INVALID_SPAN_ID);
    assertThat(header(letter, DeadLetters.MESSAGE)).startsWith("span id must be 8 bytes");
    assertThat(header(letter, DeadLetters.PARTIAL)).isEqualTo("true");
    assertThat(header(letter, DeadLetters.REJECTED_ITEMS)).isEqualTo("3");
    assertThat(header(letter, DeadLetters.ACCEPTED_ITEMS)).isEqualTo("1");
    assertThat(header(letter, DeadLetters.REJECTED_BY_REASON))
        .isEqualTo("end_before_start=2,invalid_span_id=1");
    assertThat(rejectedItems(OtlpDecodeException.END_BEFORE_START)).isEqualTo(2);
    assertThat(rejectedItems(OtlpDecodeException.INVALID_SPAN_ID)).isEqualTo(1);
    assertThat(IngestMeters.deadLetters(registry, OtlpDecodeException.INVALID_SPAN_ID))
        .isEqualTo(1);
    assertThat(IngestMeters.records(registry, IngestMetrics.ACCEPTED)).isEqualTo(1);
    assertThat(IngestMeters.records(registry, IngestMetrics.DEAD_LETTER)).isEqualTo(1);
    assertThat(items()).isEqualTo(1);
  }

  @Test
  void aRecordWithEveryItemInvalidIsDeadLetteredWithNothingForTheSink() {
    byte[] value =
        traces(
            HostileCorpus.span(1).setTraceId(ZERO_TRACE_ID).build(),
            HostileCorpus.span(2).setTraceId(ZERO_TRACE_ID).build());

    IngestedRecord ingested = ingest(handler(null), value);

    assertThat(delivered).isEmpty();
    assertThat(ingested.newest()).isEqualTo(RecordHandler.NO_EVENT_TIME);
    ProducerRecord<byte[], byte[]> letter = onlyLetter();
    assertThat(letter.value()).isEqualTo(value);
    assertThat(header(letter, DeadLetters.REASON)).isEqualTo(OtlpDecodeException.INVALID_TRACE_ID);
    assertThat(letter.headers().headers(DeadLetters.PARTIAL)).isEmpty();
    assertThat(header(letter, DeadLetters.REJECTED_ITEMS)).isEqualTo("2");
    assertThat(header(letter, DeadLetters.ACCEPTED_ITEMS)).isEqualTo("0");
    assertThat(header(letter, DeadLetters.REJECTED_BY_REASON)).isEqualTo("invalid_trace_id=2");
    assertThat(rejectedItems(OtlpDecodeException.INVALID_TRACE_ID)).isEqualTo(2);
    assertThat(IngestMeters.records(registry, IngestMetrics.ACCEPTED)).isZero();
    assertThat(IngestMeters.records(registry, IngestMetrics.DEAD_LETTER)).isEqualTo(1);
  }

  @Test
  void aFixedEncodingStillDecidesHowARecordIsRead() {
    byte[] json = new OtlpFixtures().json("checkout", 2).bytes();

    ingest(handler(null), json);
    assertThat(delivered).singleElement().satisfies(b -> assertThat(b.spans()).hasSize(2));
    assertThat(dlq.history()).isEmpty();

    delivered.clear();
    ingest(handler(OtlpEncoding.OTLP_PROTO), json);
    assertThat(delivered).isEmpty();
    ProducerRecord<byte[], byte[]> letter = onlyLetter();
    assertThat(header(letter, DeadLetters.REASON))
        .isEqualTo(OtlpDecodeException.MALFORMED_PROTOBUF);
    assertThat(letter.headers().headers(DeadLetters.REJECTED_ITEMS)).isEmpty();
    assertThat(letter.headers().headers(DeadLetters.PARTIAL)).isEmpty();
  }

  @Test
  void rejectedItemsByReasonAreListedByName() {
    assertThat(DeadLetters.byReason(Map.of("b", 2L, "a", 1L, "c", 2L))).isEqualTo("a=1,b=2,c=2");
  }

  private RecordHandler handler(OtlpEncoding encoding) {
    return new RecordHandler(
        Map.of(TOPIC, Signal.TRACES),
        encoding,
        (signal, batch) -> delivered.add(batch),
        new IngestMetrics(registry, IngestMetrics.SOURCE_KAFKA),
        dlq,
        "vigil.dlq");
  }

  private static IngestedRecord ingest(RecordHandler handler, byte[] value) {
    IngestedRecord ingested =
        new IngestedRecord(new ConsumerRecord<>(TOPIC, 0, 7L, new byte[0], value));
    handler.decode(ingested);
    handler.deliver(ingested);
    handler.flush();
    return ingested;
  }

  private ProducerRecord<byte[], byte[]> onlyLetter() {
    assertThat(dlq.history()).hasSize(1);
    return dlq.history().get(0);
  }

  private static byte[] traces(Span... spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))))
        .build()
        .toByteArray();
  }

  private static String header(ProducerRecord<byte[], byte[]> letter, String key) {
    Header h = letter.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private double rejectedItems(String reason) {
    return registry
        .get(IngestMetrics.REJECTED_ITEMS)
        .tag("source", "kafka")
        .tag("signal", "traces")
        .tag("reason", reason)
        .counter()
        .count();
  }

  private double items() {
    return registry.get(IngestMetrics.ITEMS).tag("signal", "traces").counter().count();
  }
}

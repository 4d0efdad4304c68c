package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.vigil.telemetry.Signal;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KafkaTelemetrySourceBuilderTest {

  static Stream<Arguments> invalidSettings() {
    return Stream.of(
        invalid("blank bootstrapServers", b -> b.bootstrapServers(" "), "bootstrapServers"),
        invalid("blank groupId", b -> b.groupId(""), "groupId"),
        invalid("illegal topic", b -> b.topic(Signal.LOGS, "a topic"), "topic(LOGS)"),
        invalid(
            "shared topic",
            b -> b.topic(Signal.LOGS, KafkaTopics.OTLP_SPANS),
            "must differ from the other topics"),
        invalid(
            "no signal",
            b -> b.disable(Signal.TRACES).disable(Signal.METRICS).disable(Signal.LOGS),
            "at least one signal"),
        invalid("dlq is an input", b -> b.dlqTopic(KafkaTopics.OTLP_LOGS), "dlqTopic"),
        invalid("null dlq", b -> b.dlqTopic(null), "dlqTopic"),
        invalid("zero pollTimeout", b -> b.pollTimeout(Duration.ZERO), "pollTimeout"),
        invalid(
            "zero sinkQueueCapacity",
            b -> b.sinkQueueCapacity(0),
            "sinkQueueCapacity must be greater than 0"),
        invalid(
            "auto commit",
            b -> b.consumerProperty("enable.auto.commit", "true"),
            "consumerProperties must not set enable.auto.commit"),
        invalid(
            "acks", b -> b.producerProperty("acks", "1"), "producerProperties must not set acks"));
  }

  @Test
  void rejectsANullSink() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> KafkaTelemetrySource.builder().bootstrapServers("localhost:9092").build(null))
        .withMessage("sink must not be null");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSettings")
  void rejectsInvalidSettingsNamingTheParameter(
      String name, UnaryOperator<KafkaTelemetrySourceBuilder> change, String message) {
    KafkaTelemetrySourceBuilder builder =
        KafkaTelemetrySource.builder().bootstrapServers("localhost:9092");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> change.apply(builder).build((signal, batch) -> {}))
        .withMessageContaining(message);
  }

  private static Arguments invalid(
      String name, UnaryOperator<KafkaTelemetrySourceBuilder> change, String message) {
    return Arguments.of(name, change, message);
  }
}

package dev.vigil.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.vigil.ingest.KafkaTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class EmbeddedKafkaBrokerTest {

  @Test
  void startsProducesConsumesAndCleansUp() throws Exception {
    Path directory;
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()) {
      broker.start();
      directory = broker.directory();
      assertThat(directory).isDirectory();
      String bootstrap = broker.bootstrapServers();
      assertThat(bootstrap).startsWith("127.0.0.1:");

      KafkaTopics.ensure(bootstrap, List.of("embedded-test"), 1, (short) 1);
      KafkaTopics.ensure(bootstrap, List.of("embedded-test"), 1, (short) 1); // idempotent
      RecordMetadata sent;
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
              new StringSerializer(),
              new StringSerializer())) {
        sent = producer.send(new ProducerRecord<>("embedded-test", "k", "hello")).get();
      }
      assertThat(sent.offset()).isZero();

      List<ConsumerRecord<String, String>> received = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(
              Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
              new StringDeserializer(),
              new StringDeserializer())) {
        TopicPartition tp = new TopicPartition("embedded-test", 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (received.isEmpty() && System.nanoTime() - deadline < 0) {
          consumer.poll(Duration.ofMillis(200)).forEach(received::add);
        }
      }
      assertThat(received)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.key()).isEqualTo("k");
                assertThat(r.value()).isEqualTo("hello");
              });
      assertThatIllegalStateException().isThrownBy(broker::start);
    }
    assertThat(Files.exists(directory)).isFalse();
  }

  @Test
  void listensOnAChosenPortAndSaysSoWhenThePortIsTaken() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (EmbeddedKafkaBroker broker =
        new EmbeddedKafkaBroker(EmbeddedKafkaBroker.DEFAULT_STARTUP_TIMEOUT, port)) {
      broker.start();
      assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
      KafkaTopics.ensure(broker.bootstrapServers(), List.of("fixed-port"), 1, (short) 1);
      try (EmbeddedKafkaBroker second =
          new EmbeddedKafkaBroker(EmbeddedKafkaBroker.DEFAULT_STARTUP_TIMEOUT, port)) {
        org.assertj.core.api.Assertions.assertThatThrownBy(second::start)
            .isInstanceOf(org.apache.kafka.common.KafkaException.class)
            .hasStackTraceContaining("port " + port + " on 127.0.0.1 is in use");
      }
    }
  }

  @Test
  void closeWithoutStartAndTwiceIsHarmless() {
    EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker();
    broker.close();
    broker.close();
    assertThatIllegalStateException().isThrownBy(broker::bootstrapServers);
    assertThatIllegalStateException().isThrownBy(broker::start);
  }
}

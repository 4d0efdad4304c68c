package dev.vigil.service.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.KafkaTopics;
import dev.vigil.service.kafka.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A restore re-reads exactly the offsets its store names from a real broker's topic, committed
 * records only, and counts the ones a records deletion removed instead of losing them silently.
 */
@Tag("integration")
class InputReplayTest {
  private static final String TOPIC = "replay-input";
  private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

  @Test
  void handsOverExactlyTheStoredOffsetsAndCountsTheDeletedOnes() throws Exception {
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      KafkaTopics.ensure(bootstrap, List.of(TOPIC), 1, (short) 1);
      // Three transactions, the second aborted: offsets are not contiguous (markers) and the
      // aborted records must never come back.
      Map<Long, String> committed = new TreeMap<>();
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrap,
                  ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                  "replay-test"),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        producer.initTransactions();
        for (int t = 0; t < 3; t++) {
          producer.beginTransaction();
          List<Long> offsets = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            String v = "t" + t + "-" + i;
            long o =
                producer
                    .send(new ProducerRecord<>(TOPIC, 0, null, v.getBytes(StandardCharsets.UTF_8)))
                    .get()
                    .offset();
            if (t != 1) {
              committed.put(o, v);
            }
            offsets.add(o);
          }
          if (t == 1) {
            producer.abortTransaction();
          } else {
            producer.commitTransaction();
          }
        }
      }
      List<Long> offsets = new ArrayList<>(committed.keySet());
      // Every third committed record is still needed.
      TreeSet<Long> stored = new TreeSet<>();
      for (int i = 0; i < offsets.size(); i += 3) {
        stored.add(offsets.get(i));
      }

      Map<Long, String> got = new TreeMap<>();
      InputReplay.Result all = replay(bootstrap, stored, got);
      assertThat(got.keySet()).containsExactlyElementsOf(stored);
      got.forEach((o, v) -> assertThat(v).isEqualTo(committed.get(o)));
      assertThat(all.replayed()).isEqualTo(stored.size());
      assertThat(all.missing()).isZero();

      // A deletion (a purge, or the topic's retention) below the fourth stored offset.
      long cut = new ArrayList<>(stored).get(3);
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        admin.deleteRecords(Map.of(TP, RecordsToDelete.beforeOffset(cut))).all().get();
      }
      got.clear();
      InputReplay.Result after = replay(bootstrap, stored, got);
      assertThat(got.keySet()).containsExactlyElementsOf(stored.tailSet(cut, true));
      assertThat(after.replayed()).isEqualTo(stored.tailSet(cut, true).size());
      assertThat(after.missing()).isEqualTo(3);
      assertThat(after.firstMissing()).isEqualTo(stored.first());
      assertThat(after.lastMissing()).isEqualTo(stored.lower(cut));
      assertThat(after.logStart()).isEqualTo(cut);
    }
  }

  private static InputReplay.Result replay(
      String bootstrap, TreeSet<Long> stored, Map<Long, String> into) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                4),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      return InputReplay.replay(
          consumer,
          TP,
          stored,
          Duration.ofMinutes(1),
          (o, v) -> into.put(o, new String(v, StandardCharsets.UTF_8)));
    }
  }
}

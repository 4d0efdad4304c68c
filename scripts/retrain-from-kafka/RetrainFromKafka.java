import dev.vigil.ingest.KafkaTopics;
import dev.vigil.service.cli.RetrainCommand;
import dev.vigil.service.kafka.EmbeddedKafkaBroker;
import dev.vigil.trainingdata.sim.KafkaSpanExporter;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.OtlpFileSpanExporter;
import dev.vigil.trainingdata.sim.Topology;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Retraining from Kafka against retraining from files, on the same simulated history: starts the
 * embedded single-node broker, writes {@code minutes} of the simulated shop to {@code otlp_spans}
 * ({@code partitions} partitions, one record per SDK export, record timestamp = the export's
 * newest span end, as a Collector exporting promptly would) and to an OTLP file at once, then
 * times {@code vigil retrain --input FILE} and {@code vigil retrain --bootstrap-servers ... --from
 * --to} over it (files, Kafka, files again), each promoting to a fresh registry directory.
 *
 * <p>java -cp service/target/vigil.jar scripts/retrain-from-kafka/RetrainFromKafka.java OUT
 * [minutes=120] [partitions=3]
 */
public class RetrainFromKafka {
  static final Instant START = Instant.parse("2026-01-05T00:00:00Z");

  public static void main(String[] a) throws Exception {
    Path out = Path.of(a[0]);
    int minutes = a.length > 1 ? Integer.parseInt(a[1]) : 120;
    int partitions = a.length > 2 ? Integer.parseInt(a[2]) : 3;
    Files.createDirectories(out.resolve("history"));
    Instant end = START.plus(Duration.ofMinutes(minutes));
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      // A history in the past: keep it from the broker's retention (7 days by record timestamp).
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        admin
            .createTopics(
                List.of(
                    new NewTopic(KafkaTopics.OTLP_SPANS, partitions, (short) 1)
                        .configs(Map.of("retention.ms", "-1"))))
            .all()
            .get();
      }
      long t0 = System.nanoTime();
      OtlpFileSpanExporter file = new OtlpFileSpanExporter(out.resolve("history/traces.binpb"));
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", bootstrap, "acks", "all", "linger.ms", 20),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        AtomicLong sent = new AtomicLong();
        SpanExporter kafka =
            new SpanExporter() {
              @Override
              public CompletableResultCode export(Collection<SpanData> batch) {
                long newest = batch.stream().mapToLong(SpanData::getEndEpochNanos).max().orElse(0);
                producer.send(
                    new ProducerRecord<>(
                        KafkaTopics.OTLP_SPANS,
                        (int) (sent.getAndIncrement() % partitions),
                        newest / 1_000_000L,
                        null,
                        KafkaSpanExporter.marshal(batch)));
                return CompletableResultCode.ofSuccess();
              }

              @Override
              public CompletableResultCode flush() {
                producer.flush();
                return CompletableResultCode.ofSuccess();
              }

              @Override
              public CompletableResultCode shutdown() {
                return flush();
              }
            };
        try (MicroserviceSimulator sim =
            MicroserviceSimulator.builder()
                .topology(Topology.shop())
                .exporter(SpanExporter.composite(kafka, file))
                .startTime(START)
                .build()) {
          for (int m = 0; m < minutes; m += 10) {
            sim.runFor(Duration.ofMinutes(Math.min(10, minutes - m)));
          }
          System.err.printf("wrote %,d spans, %,d records%n", sim.spans(), sent.get());
        }
        producer.flush();
      }
      file.flush();
      System.err.printf("simulated %d min in %.1f s%n", minutes, (System.nanoTime() - t0) / 1e9);

      long t1 = System.nanoTime();
      RetrainCommand.run(
          List.of(
              "--input",
              out.resolve("history").toString(),
              "--registry",
              out.resolve("models-files").toString()));
      long t2 = System.nanoTime();
      RetrainCommand.run(
          List.of(
              "--bootstrap-servers",
              bootstrap,
              "--from",
              START.toString(),
              "--to",
              end.toString(),
              "--registry",
              out.resolve("models-kafka").toString()));
      long t3 = System.nanoTime();
      // Files again, so that neither reading has the JIT's warm-up to itself.
      RetrainCommand.run(
          List.of(
              "--input",
              out.resolve("history").toString(),
              "--registry",
              out.resolve("models-files-2").toString()));
      long t4 = System.nanoTime();
      System.out.printf(
          "retrain --input: %.1f s then %.1f s wall; retrain --from/--to (Kafka, %d partitions):"
              + " %.1f s wall%n",
          (t2 - t1) / 1e9, (t4 - t3) / 1e9, partitions, (t3 - t2) / 1e9);
    }
  }
}

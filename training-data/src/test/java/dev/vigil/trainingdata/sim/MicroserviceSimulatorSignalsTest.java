package dev.vigil.trainingdata.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.telemetry.EpochNanos;
import dev.vigil.telemetry.Exemplar;
import dev.vigil.telemetry.LogEntry;
import dev.vigil.telemetry.MetricPoint;
import dev.vigil.telemetry.SpanKind;
import dev.vigil.telemetry.SpanRecord;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class MicroserviceSimulatorSignalsTest {
  private static final Instant START = Instant.parse("2026-11-25T12:00:00Z");
  private static final long START_NANOS = EpochNanos.of(START);
  private static final long SECOND = 1_000_000_000L;
  private static final List<String> SERVICES =
      List.of(
          "frontend",
          "catalog",
          "recommendation",
          "ad",
          "cart",
          "checkout",
          "payment",
          "shipping",
          "currency",
          "email");

  private static OtlpCollector run(
      Duration length, FaultSchedule faults, Consumer<MicroserviceSimulator.Builder> options) {
    OtlpCollector out = new OtlpCollector();
    MicroserviceSimulator.Builder b =
        MicroserviceSimulator.builder()
            .topology(Topology.shop())
            .exporter(out.spans)
            .metricExporter(out.metrics)
            .logExporter(out.logs)
            .startTime(START)
            .faults(faults);
    options.accept(b);
    try (MicroserviceSimulator sim = b.build()) {
      sim.runFor(length);
    }
    return out;
  }

  @Test
  void metricsAreStampedInSimulatedTimeAtTheIntervalAndCountTheServedRequests() throws Exception {
    OtlpCollector out = run(Duration.ofMinutes(2), FaultSchedule.none(), b -> {});
    List<SpanRecord> spans = out.spans();
    List<List<MetricPoint>> exports = out.metricExports();

    assertThat(out.shutdowns).isEqualTo(3);
    List<Long> times =
        exports.stream()
            .map(e -> e.stream().map(MetricPoint::timeEpochNanos).collect(Collectors.toSet()))
            .peek(t -> assertThat(t).as("one collection time an export").hasSize(1))
            .map(t -> t.iterator().next())
            .toList();
    assertThat(times)
        .containsExactlyElementsOf(
            LongStream.rangeClosed(1, 12).map(i -> START_NANOS + i * 10 * SECOND).boxed().toList());
    Map<String, long[]> serverEnds = new HashMap<>();
    for (String service : SERVICES) {
      serverEnds.put(
          service,
          spans.stream()
              .filter(s -> s.service().equals(service) && s.kind() == SpanKind.SERVER)
              .mapToLong(SpanRecord::endEpochNanos)
              .sorted()
              .toArray());
    }
    for (List<MetricPoint> export : exports) {
      long time = export.get(0).timeEpochNanos();
      Set<String> services = export.stream().map(MetricPoint::service).collect(Collectors.toSet());
      assertThat(services).containsExactlyInAnyOrderElementsOf(SERVICES);
      for (String service : SERVICES) {
        long served = endedBy(serverEnds.get(service), time);
        List<MetricPoint.Histogram> durations = durations(export, service);
        // Cumulative series start at their first measurement, on the simulated clock.
        assertThat(durations).allMatch(h -> h.startEpochNanos() >= START_NANOS);
        assertThat(durations.stream().mapToLong(MetricPoint.Histogram::count).sum())
            .as("%s requests served by %s", service, Instant.ofEpochSecond(0, time))
            .isEqualTo(served);
      }
      long frontend = endedBy(serverEnds.get("frontend"), time);
      assertThat(
              export.stream()
                  .filter(p -> p instanceof MetricPoint.ExponentialHistogram)
                  .mapToLong(p -> ((MetricPoint.ExponentialHistogram) p).count())
                  .sum())
          .isEqualTo(frontend);
      assertThat(gauges(export, ServiceMetrics.CPU)).hasSize(SERVICES.size());
      assertThat(export)
          .filteredOn(p -> p.name().equals(ServiceMetrics.MEMORY))
          .hasSize(SERVICES.size())
          .allMatch(p -> p instanceof MetricPoint.Sum s && !s.monotonic() && s.value() > 1 << 27);
    }
    List<MetricPoint> last = exports.get(exports.size() - 1);
    assertThat(last)
        .filteredOn(p -> p.name().equals(ServiceMetrics.HTTP_DURATION))
        .allMatch(p -> p.unit().equals("s"))
        .allMatch(
            p ->
                ((MetricPoint.Histogram) p).explicitBounds().equals(ServiceMetrics.BUCKETS_SECONDS))
        .isNotEmpty();
    assertThat(last)
        .filteredOn(p -> p.name().equals(ServiceMetrics.RPC_DURATION))
        .allMatch(p -> p.unit().equals("ms"))
        .isNotEmpty();

    List<LogEntry> logs = out.logs();
    long servedTotal = spans.stream().filter(s -> s.kind() == SpanKind.SERVER).count();
    List<LogEntry> info = logs.stream().filter(l -> l.severityText().equals("INFO")).toList();
    assertThat((double) info.size() / servedTotal).isBetween(1 / 30.0, 1 / 14.0);
    assertThat(logs)
        .allMatch(l -> l.timeEpochNanos() > START_NANOS)
        .allMatch(l -> l.timeEpochNanos() < START_NANOS + 121 * SECOND)
        .allMatch(l -> l.traceId().length() == 32 && l.spanId().length() == 16);
  }

  @Test
  void exemplarsPointAtExportedServerSpansOfTheirService() throws Exception {
    OtlpCollector out = run(Duration.ofMinutes(1), FaultSchedule.none(), b -> {});
    Map<String, SpanRecord> spans = new HashMap<>();
    for (SpanRecord s : out.spans()) {
      spans.put(s.traceId() + "/" + s.spanId(), s);
    }
    int exemplars = 0;
    for (List<MetricPoint> export : out.metricExports()) {
      for (String service : SERVICES) {
        for (MetricPoint.Histogram h : durations(export, service)) {
          for (Exemplar e : h.exemplars()) {
            SpanRecord span = spans.get(e.traceId() + "/" + e.spanId());
            assertThat(span).as("the exemplar's span").isNotNull();
            assertThat(span.service()).isEqualTo(service);
            assertThat(span.kind()).isEqualTo(SpanKind.SERVER);
            assertThat(e.timeEpochNanos()).isEqualTo(span.endEpochNanos());
            double millis = span.durationNanos() / 1e6;
            assertThat(h.unit().equals("s") ? e.value() * 1000 : e.value())
                .isCloseTo(millis, org.assertj.core.data.Offset.offset(1e-6));
            exemplars++;
          }
        }
      }
    }
    assertThat(exemplars).isGreaterThan(100);
  }

  @Test
  void errorFaultLogsErrorsWithTraceIdsInTheFaultyServiceAndRaisesItsErrorCounter()
      throws Exception {
    Instant faultAt = START.plus(Duration.ofMinutes(1));
    OtlpCollector out =
        run(
            Duration.ofMinutes(2),
            FaultSchedule.at(Fault.errors("payment"), faultAt)
                .and(FaultSchedule.at(Fault.errors("cart-db"), faultAt)),
            b -> {});
    List<SpanRecord> spans = out.spans();
    Map<String, SpanRecord> byId = new HashMap<>();
    spans.forEach(s -> byId.put(s.traceId() + "/" + s.spanId(), s));
    List<LogEntry> errors = out.logs().stream().filter(LogEntry::isError).toList();

    List<LogEntry> payment = errors.stream().filter(l -> l.service().equals("payment")).toList();
    long failedPayments =
        spans.stream()
            .filter(s -> s.service().equals("payment") && s.kind() == SpanKind.SERVER)
            .filter(SpanRecord::isError)
            .count();
    assertThat(payment).hasSize((int) failedPayments).hasSizeGreaterThan(10);
    for (LogEntry log : payment) {
      SpanRecord span = byId.get(log.traceId() + "/" + log.spanId());
      assertThat(span).isNotNull();
      assertThat(span.isError()).isTrue();
      assertThat(log.timeEpochNanos()).isEqualTo(span.endEpochNanos());
      if (log.timeEpochNanos() >= faultAtNanos(faultAt)) {
        assertThat(log.body()).isEqualTo("injected failure in payment");
        assertThat(log.attributes())
            .containsEntry("exception.type", "java.lang.IllegalStateException");
      }
    }
    // Every service also fails 0.05% of its requests on its own, so a natural error may come
    // before the fault; the fault's errors are the bulk.
    assertThat(payment.stream().filter(l -> l.timeEpochNanos() >= faultAtNanos(faultAt)).count())
        .isGreaterThanOrEqualTo(payment.size() - 3L);
    List<LogEntry> cart = errors.stream().filter(l -> l.service().equals("cart")).toList();
    long fromRedis =
        cart.stream()
            .filter(l -> l.timeEpochNanos() > faultAtNanos(faultAt))
            .filter(
                l ->
                    "io.lettuce.core.RedisCommandExecutionException"
                        .equals(l.attributes().get("exception.type")))
            .count();
    assertThat(fromRedis).isGreaterThan(10).isGreaterThan(cart.size() * 9L / 10);
    assertThat(cart.stream().filter(l -> !byId.containsKey(l.traceId() + "/" + l.spanId())))
        .isEmpty();
    // Callers that only pass a failure on do not log it: errors are logged where they start.
    assertThat(errors.stream().filter(l -> l.service().equals("checkout")).count())
        .isLessThan(payment.size() / 10 + 3);

    Map<Long, Double> paymentErrors = new HashMap<>();
    for (List<MetricPoint> export : out.metricExports()) {
      for (MetricPoint p : export) {
        if (p.name().equals(ServiceMetrics.ERRORS) && p.service().equals("payment")) {
          MetricPoint.Sum sum = (MetricPoint.Sum) p;
          assertThat(sum.monotonic()).isTrue();
          assertThat(sum.temporality()).isEqualTo(MetricPoint.Temporality.CUMULATIVE);
          paymentErrors.merge(p.timeEpochNanos(), sum.value(), Double::sum);
        }
      }
    }
    long faultNanos = faultAtNanos(faultAt);
    double atFault = paymentErrors.getOrDefault(faultNanos, 0.0);
    double atEnd = paymentErrors.get(START_NANOS + 120 * SECOND);
    assertThat(atFault).isLessThan(3);
    assertThat(atEnd).isEqualTo((double) failedPayments);
    List<Double> rising =
        paymentErrors.entrySet().stream()
            .filter(e -> e.getKey() > faultNanos)
            .sorted(Map.Entry.comparingByKey())
            .map(Map.Entry::getValue)
            .toList();
    assertThat(rising).isSorted().hasSizeGreaterThan(4);
    assertThat(rising.get(0)).isLessThan(rising.get(rising.size() - 1));
  }

  @Test
  void latencyFaultRaisesTheServicesDurationAndCpuButNotOthersCpu() throws Exception {
    Instant faultAt = START.plus(Duration.ofSeconds(90));
    OtlpCollector out =
        run(
            Duration.ofMinutes(3),
            FaultSchedule.at(Fault.latency("catalog"), faultAt),
            b -> b.metricTemporality(AggregationTemporalitySelector.deltaPreferred()));
    long faultNanos = faultAtNanos(faultAt);
    List<Double> durationBefore = new ArrayList<>();
    List<Double> durationAfter = new ArrayList<>();
    Map<String, List<Double>> cpuBefore = new HashMap<>();
    Map<String, List<Double>> cpuAfter = new HashMap<>();
    long previous = START_NANOS;
    for (List<MetricPoint> export : out.metricExports()) {
      long time = export.get(0).timeEpochNanos();
      List<MetricPoint.Histogram> catalog = durations(export, "catalog");
      for (MetricPoint.Histogram h : catalog) {
        assertThat(h.temporality()).isEqualTo(MetricPoint.Temporality.DELTA);
        assertThat(h.startEpochNanos()).isEqualTo(previous);
      }
      double count = catalog.stream().mapToLong(MetricPoint.Histogram::count).sum();
      double mean = catalog.stream().mapToDouble(MetricPoint.Histogram::sum).sum() / count;
      // The collection right after the fault starts mixes both: leave it out.
      if (time <= faultNanos) {
        durationBefore.add(mean);
      } else if (time > faultNanos + 10 * SECOND) {
        durationAfter.add(mean);
      }
      for (MetricPoint.Gauge g : gauges(export, ServiceMetrics.CPU)) {
        assertThat(g.value()).isBetween(0.0, 1.0);
        if (time <= faultNanos) {
          cpuBefore.computeIfAbsent(g.service(), k -> new ArrayList<>()).add(g.value());
        } else if (time > faultNanos + 10 * SECOND) {
          cpuAfter.computeIfAbsent(g.service(), k -> new ArrayList<>()).add(g.value());
        }
      }
      previous = time;
    }
    assertThat(durationBefore).hasSize(9).allMatch(ms -> ms < 30);
    assertThat(durationAfter).hasSize(8).allMatch(ms -> ms > 150);
    assertThat(mean(cpuAfter.get("catalog"))).isGreaterThan(mean(cpuBefore.get("catalog")) + 0.2);
    for (String other : List.of("frontend", "cart", "payment", "currency")) {
      assertThat(mean(cpuAfter.get(other)))
          .as("cpu of %s", other)
          .isCloseTo(mean(cpuBefore.get(other)), org.assertj.core.data.Offset.offset(0.03));
    }
    List<LogEntry> slow =
        out.logs().stream()
            .filter(l -> l.severityText().equals("WARN") && l.service().equals("catalog"))
            .toList();
    long slowBefore = slow.stream().filter(l -> l.timeEpochNanos() <= faultNanos).count();
    assertThat(slow.size() - slowBefore).isGreaterThan(100).isGreaterThan(20 * slowBefore);
    assertThat(slow).allMatch(l -> l.body().startsWith("slow CatalogService/"));
  }

  @Test
  void spansAreTheSameWithOrWithoutMetricsAndLogs() throws Exception {
    OtlpCollector plain = new OtlpCollector();
    try (MicroserviceSimulator sim =
        MicroserviceSimulator.builder()
            .topology(Topology.shop())
            .exporter(plain.spans)
            .startTime(START)
            .seed(7)
            .build()) {
      sim.runFor(Duration.ofSeconds(30));
    }
    OtlpCollector all =
        run(
            Duration.ofSeconds(30),
            FaultSchedule.none(),
            b -> b.seed(7).metricInterval(Duration.ofMillis(1500)));
    assertThat(plain.metricRecords).isEmpty();
    assertThat(all.metricRecords).hasSize(20);
    assertThat(all.logRecords).isNotEmpty();
    assertThat(spanSet(all.spans())).isNotEmpty().isEqualTo(spanSet(plain.spans()));
  }

  @Test
  void metricIntervalMustBePositive() {
    assertThatThrownBy(() -> MicroserviceSimulator.builder().metricInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interval");
  }

  private static Set<String> spanSet(List<SpanRecord> spans) {
    return spans.stream()
        .map(
            s ->
                String.join(
                    " ",
                    s.traceId(),
                    s.spanId(),
                    s.parentSpanId(),
                    s.name(),
                    s.service(),
                    Long.toString(s.startEpochNanos()),
                    Long.toString(s.endEpochNanos()),
                    s.status().name()))
        .collect(Collectors.toSet());
  }

  private static List<MetricPoint.Histogram> durations(List<MetricPoint> export, String service) {
    return export.stream()
        .filter(p -> p.service().equals(service))
        .filter(
            p ->
                p.name().equals(ServiceMetrics.HTTP_DURATION)
                    || p.name().equals(ServiceMetrics.RPC_DURATION))
        .map(MetricPoint.Histogram.class::cast)
        .toList();
  }

  private static List<MetricPoint.Gauge> gauges(List<MetricPoint> export, String name) {
    return export.stream()
        .filter(p -> p.name().equals(name))
        .map(MetricPoint.Gauge.class::cast)
        .toList();
  }

  /** How many of the sorted end times are at or before {@code time}. */
  private static long endedBy(long[] sortedEnds, long time) {
    return LongStream.of(sortedEnds).filter(e -> e <= time).count();
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  private static long faultAtNanos(Instant faultAt) {
    return EpochNanos.of(faultAt);
  }
}

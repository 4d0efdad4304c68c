package dev.vigil.trainingdata.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.features.EdgeFeatures;
import dev.vigil.features.FeatureConfig;
import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.SpanFeatureAggregator;
import dev.vigil.features.WindowFeatures;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.otlp.OtlpDecodeException;
import dev.vigil.telemetry.otlp.OtlpDecoder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MicroserviceSimulatorTest {
  private static final Instant START = Instant.parse("2026-11-25T12:00:00Z");

  /** Keeps each export batch as the OTLP protobuf bytes a Kafka record would carry. */
  private static final class OtlpBytesExporter implements SpanExporter {
    final List<byte[]> records = new ArrayList<>();
    boolean shutdown;

    @Override
    public synchronized CompletableResultCode export(Collection<SpanData> spans) {
      records.add(KafkaSpanExporter.marshal(spans));
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      shutdown = true;
      return CompletableResultCode.ofSuccess();
    }

    List<SpanRecord> decodeAll() throws OtlpDecodeException {
      List<SpanRecord> spans = new ArrayList<>();
      for (byte[] r : records) {
        spans.addAll(OtlpDecoder.decode(Signal.TRACES, r).spans());
      }
      return spans;
    }
  }

  private static List<WindowFeatures> simulate(FaultSchedule faults, Duration length)
      throws OtlpDecodeException {
    OtlpBytesExporter exporter = new OtlpBytesExporter();
    MicroserviceSimulator sim =
        MicroserviceSimulator.builder()
            .topology(Topology.shop())
            .exporter(exporter)
            .startTime(START)
            .faults(faults)
            .build();
    sim.runFor(length);
    sim.close();
    assertThat(exporter.shutdown).isTrue();
    List<SpanRecord> spans = exporter.decodeAll();
    assertThat((long) spans.size()).isEqualTo(sim.spans());
    SpanFeatureAggregator aggregator = new SpanFeatureAggregator(FeatureConfig.defaults());
    List<WindowFeatures> windows = new ArrayList<>(aggregator.accept(spans));
    windows.addAll(aggregator.flush());
    return windows;
  }

  @Test
  void spansDecodeIntoTheTopologysCallGraphWithDatabasesAsPeers() throws Exception {
    Topology shop = Topology.shop();
    List<WindowFeatures> windows = simulate(FaultSchedule.none(), Duration.ofMinutes(2));

    Set<List<String>> edges = new HashSet<>();
    Set<String> services = new HashSet<>();
    for (WindowFeatures w : windows) {
      services.addAll(w.services().keySet());
      for (EdgeFeatures e : w.edges()) {
        edges.add(List.of(e.caller(), e.callee()));
      }
    }
    assertThat(services).containsExactlyInAnyOrderElementsOf(shop.services());
    assertThat(edges).containsExactlyInAnyOrderElementsOf(shop.edges());
    assertThat(shop.services()).hasSizeGreaterThanOrEqualTo(8).contains("cart-db", "catalog-db");
  }

  @Test
  void latencyFaultRaisesTheServicesSelfTimeAndItsCallersLatencyButNotOthersSelfTime()
      throws Exception {
    Instant faultAt = START.plus(Duration.ofMinutes(2));
    List<WindowFeatures> windows =
        simulate(FaultSchedule.at(Fault.latency("catalog"), faultAt), Duration.ofMinutes(4));
    List<WindowFeatures> before = windows.stream().filter(w -> !w.end().isAfter(faultAt)).toList();
    List<WindowFeatures> after = windows.stream().filter(w -> w.start().isAfter(faultAt)).toList();
    assertThat(before).hasSizeGreaterThan(5);
    assertThat(after).hasSizeGreaterThan(5);

    assertThat(median(after, "catalog", true)).isGreaterThan(median(before, "catalog", true) + 100);
    assertThat(median(after, "recommendation", false))
        .isGreaterThan(median(before, "recommendation", false) + 100);
    for (String unaffected : List.of("recommendation", "frontend", "catalog-db", "cart")) {
      assertThat(median(after, unaffected, true))
          .as("self p50 of %s", unaffected)
          .isLessThan(median(before, unaffected, true) * 1.5 + 2);
    }
  }

  @Test
  void errorFaultFailsTheServiceAndPropagatesToItsCallers() throws Exception {
    Instant faultAt = START.plus(Duration.ofMinutes(1));
    List<WindowFeatures> windows =
        simulate(FaultSchedule.at(Fault.errors("cart-db"), faultAt), Duration.ofMinutes(2));
    long cartDbSelf = 0;
    long cartDbRequests = 0;
    long cartErrors = 0;
    long cartSelfErrors = 0;
    for (WindowFeatures w : windows) {
      if (w.start().isBefore(faultAt)) {
        continue;
      }
      ServiceFeatures db = w.services().get("cart-db");
      ServiceFeatures cart = w.services().get("cart");
      if (db == null || cart == null) {
        continue; // a window without calls to the cart
      }
      cartDbSelf += db.selfErrors();
      cartDbRequests += db.requests();
      cartErrors += cart.errors();
      cartSelfErrors += cart.selfErrors();
    }
    assertThat((double) cartDbSelf / cartDbRequests).isBetween(0.2, 0.4);
    assertThat(cartErrors).isGreaterThanOrEqualTo(cartDbSelf);
    assertThat(cartSelfErrors).isLessThan(cartErrors / 10 + 3);
  }

  @Test
  void aHeldClockMakesNoRequestsAndResumesWhereItStopped() throws Exception {
    double speed = 50;
    try (MicroserviceSimulator sim =
        MicroserviceSimulator.builder()
            .topology(Topology.shop())
            .exporter(new OtlpBytesExporter())
            .startTime(START)
            .speed(speed)
            .build()) {
      long realStart = System.nanoTime();
      sim.start();
      awaitSimulated(sim, START.plusSeconds(5));
      sim.pause();
      sim.pause(); // holding a held clock changes nothing
      // The pacer may be inside one step when the hold begins; that step ends within its 10 ms.
      awaitHeld(sim, Duration.ofMillis(50));
      Instant held = sim.simulatedTime();
      long requests = sim.requests();
      awaitHeld(sim, Duration.ofMillis(400));
      assertThat(sim.simulatedTime()).isEqualTo(held);
      assertThat(sim.requests()).isEqualTo(requests);

      sim.resume();
      Duration paused = sim.pausedFor();
      assertThat(paused).isGreaterThanOrEqualTo(Duration.ofMillis(400));
      awaitSimulated(sim, held.plusSeconds(5));
      assertThat(sim.requests()).isGreaterThan(requests);
      // The held real time does not count: the simulated clock is behind an unheld one by it.
      Instant reached = sim.simulatedTime();
      long running = System.nanoTime() - realStart - paused.toNanos();
      assertThat(Duration.between(START, reached).toNanos())
          .isLessThanOrEqualTo((long) (running * speed));
      assertThat(sim.pausedFor()).isEqualTo(paused);
    }
  }

  private static void awaitSimulated(MicroserviceSimulator sim, Instant t)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (sim.simulatedTime().isBefore(t)) {
      assertThat(System.nanoTime()).as("simulated time reaching %s", t).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static void awaitHeld(MicroserviceSimulator sim, Duration d) throws InterruptedException {
    while (sim.pausedFor().compareTo(d) < 0) {
      Thread.sleep(5);
    }
  }

  @Test
  void sameSeedGivesTheSameTraces() throws Exception {
    OtlpBytesExporter a = new OtlpBytesExporter();
    OtlpBytesExporter b = new OtlpBytesExporter();
    for (OtlpBytesExporter e : List.of(a, b)) {
      try (MicroserviceSimulator sim =
          MicroserviceSimulator.builder()
              .topology(Topology.shop())
              .exporter(e)
              .startTime(START)
              .seed(7)
              .build()) {
        sim.runFor(Duration.ofSeconds(20));
      }
    }
    Set<String> first = ids(a.decodeAll());
    Set<String> second = ids(b.decodeAll());
    Set<String> onlyFirst = new HashSet<>(first);
    onlyFirst.removeAll(second);
    Set<String> onlySecond = new HashSet<>(second);
    onlySecond.removeAll(first);
    assertThat(first).isNotEmpty();
    assertThat(onlyFirst)
        .as("%d and %d spans; only in the second: %s", first.size(), second.size(), onlySecond)
        .isEmpty();
    assertThat(onlySecond).isEmpty();
  }

  @Test
  void theDefaultRampGrowsEachServicesSelfTimeInProportionToItsOwn() throws Exception {
    List<WindowFeatures> none = simulate(FaultSchedule.none(), Duration.ofMinutes(2));
    // Begun 15 and 30 minutes before the simulated stretch: half and all of the ramp's size.
    List<WindowFeatures> half =
        simulate(
            FaultSchedule.allAt(
                List.of(Fault.ramp("catalog"), Fault.ramp("catalog-db")),
                START.minus(Duration.ofMinutes(15))),
            Duration.ofMinutes(2));
    List<WindowFeatures> full =
        simulate(
            FaultSchedule.allAt(
                List.of(Fault.ramp("catalog"), Fault.ramp("catalog-db")),
                START.minus(Duration.ofMinutes(30))),
            Duration.ofMinutes(2));
    for (String service : List.of("catalog", "catalog-db")) {
      double before = median(none, service, true);
      // The default ramp adds 5 times the median self time after 30 minutes (2.5 after 15).
      assertThat(median(half, service, true) / before).as(service).isBetween(2.8, 4.2);
      assertThat(median(full, service, true) / before).as(service).isBetween(4.8, 7.2);
    }
    assertThat(median(full, "cart", true) / median(none, "cart", true)).isLessThan(1.3);
  }

  @Test
  void faultSpecsAreParsedOrRejectedWithTheValidChoices() {
    Topology shop = Topology.shop();
    assertThat(Fault.parse("latency:payment", shop)).isEqualTo(Fault.latency("payment"));
    assertThat(Fault.parse("errors:cart-db", shop)).isEqualTo(Fault.errors("cart-db"));
    assertThat(Fault.parse("ramp:catalog", shop)).isEqualTo(Fault.ramp("catalog"));
    assertThat(Fault.parse("ramp:catalog:20", shop).extraLatencyMillis()).isEqualTo(20);
    assertThatThrownBy(() -> Fault.parse("latency:catalog:20", shop))
        .hasMessageContaining("only a ramp takes a size");
    assertThatThrownBy(() -> Fault.parse("ramp:catalog:-3", shop))
        .hasMessageContaining("positive number of milliseconds");
    assertThatThrownBy(() -> Fault.parse("latency:nope", shop))
        .hasMessageContaining("unknown service 'nope'")
        .hasMessageContaining("payment");
    assertThatThrownBy(() -> Fault.parse("slow:payment", shop))
        .hasMessageContaining("unknown fault kind 'slow'");
    assertThatThrownBy(() -> Fault.parse("latency:frontend", shop))
        .hasMessageContaining("entry service");
    assertThatThrownBy(() -> Fault.parse("payment", shop)).hasMessageContaining("is not a fault");
    assertThat(Fault.parseAll(List.of("latency:catalog", "errors:payment"), shop))
        .containsExactly(Fault.latency("catalog"), Fault.errors("payment"));
    assertThatThrownBy(() -> Fault.parseAll(List.of("latency:payment", "errors:payment"), shop))
        .hasMessageContaining("two faults in 'payment'");
  }

  @Test
  void simultaneousFaultsEachActOnTheirOwnService() throws Exception {
    Instant faultAt = START.plus(Duration.ofMinutes(2));
    List<WindowFeatures> windows =
        simulate(
            FaultSchedule.allAt(
                List.of(Fault.latency("catalog"), Fault.errors("payment")), faultAt),
            Duration.ofMinutes(4));
    List<WindowFeatures> before = windows.stream().filter(w -> !w.end().isAfter(faultAt)).toList();
    List<WindowFeatures> after = windows.stream().filter(w -> w.start().isAfter(faultAt)).toList();
    assertThat(median(after, "catalog", true)).isGreaterThan(median(before, "catalog", true) + 100);
    long paymentErrors = 0;
    long paymentRequests = 0;
    for (WindowFeatures w : after) {
      ServiceFeatures p = w.services().get("payment");
      if (p != null) {
        paymentErrors += p.selfErrors();
        paymentRequests += p.requests();
      }
    }
    assertThat((double) paymentErrors / paymentRequests).isBetween(0.2, 0.4);
    assertThat(median(after, "payment", true))
        .isLessThan(median(before, "payment", true) * 1.5 + 2);
  }

  private static Set<String> ids(List<SpanRecord> spans) {
    return spans.stream().map(s -> s.traceId() + "/" + s.spanId()).collect(Collectors.toSet());
  }

  private static double median(List<WindowFeatures> windows, String service, boolean self) {
    double[] v =
        windows.stream()
            .map(w -> w.services().get(service))
            .filter(s -> s != null && s.requests() > 0)
            .mapToDouble(s -> self ? s.selfP50Millis() : s.p50Millis())
            .sorted()
            .toArray();
    assertThat(v).as("windows with %s", service).isNotEmpty();
    return v[v.length / 2];
  }
}

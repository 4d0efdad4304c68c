package dev.vigil.models;

import static dev.vigil.models.SyntheticWindows.FAULTY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Snapshots of {@link ServiceAnomalyMonitor}: restored exactly, detecting at once, refused whole
 * when they do not fit, and still readable in their first version.
 */
class ServiceAnomalyMonitorStateTest {
  static final int WARM_UP = 150;
  static final String FIXTURE = "/state/service_monitor_v1.bin";
  private static final CBORMapper CBOR = new CBORMapper();

  /** A monitor that has seen {@code windows} normal windows of seed 7, and the windows' source. */
  static ServiceAnomalyMonitor warmed(SyntheticWindows windows, int count) {
    ServiceAnomalyMonitor monitor = new ServiceAnomalyMonitor(MonitorConfig.defaults());
    for (int i = 0; i < count; i++) {
      assertThat(monitor.observe(windows.spans(i, false))).as("warm-up window %d", i).isEmpty();
    }
    return monitor;
  }

  /** A fresh monitor that restored every service of {@code saved}. */
  static ServiceAnomalyMonitor restoredFrom(ServiceAnomalyMonitor saved, MonitorConfig config) {
    ServiceAnomalyMonitor restored = new ServiceAnomalyMonitor(config);
    for (String service : saved.services()) {
      restored.restore(service, saved.snapshot(service));
    }
    return restored;
  }

  private static boolean faultAt(int i) {
    return (i >= 200 && i < 215) || (i >= 300 && i < 310);
  }

  @Test
  void aRestoredMonitorReportsExactlyWhatTheSavedOneWould() {
    SyntheticWindows windows = new SyntheticWindows(7);
    ServiceAnomalyMonitor original = warmed(windows, WARM_UP);
    ServiceAnomalyMonitor restored = restoredFrom(original, MonitorConfig.defaults());
    assertThat(restored.services()).containsExactly("checkout", "email", "shipping");

    List<Anomaly> anomalies = new ArrayList<>();
    for (int i = WARM_UP; i < 330; i++) {
      var w = windows.spans(i, faultAt(i));
      WindowAssessment expected = original.assess(w);
      assertThat(restored.assess(w)).as("window %d", i).isEqualTo(expected);
      anomalies.addAll(expected.anomalies());
    }
    // The comparison covered the forest's alarms, not only quiet windows.
    assertThat(anomalies).extracting(Anomaly::service).contains(FAULTY);
    assertThat(anomalies).flatExtracting(Anomaly::detectors).contains("random_cut_forest");
    // And the two learnt the same from them, to the byte.
    for (String service : original.services()) {
      assertThat(restored.snapshot(service)).isEqualTo(original.snapshot(service));
    }
  }

  @Test
  void aRestoredMonitorDetectsAFaultAsFastAsTheSavedOneAndAFreshOneDoesNot() {
    SyntheticWindows windows = new SyntheticWindows(7);
    ServiceAnomalyMonitor original = warmed(windows, WARM_UP);
    ServiceAnomalyMonitor restored = restoredFrom(original, MonitorConfig.defaults());
    ServiceAnomalyMonitor fresh = new ServiceAnomalyMonitor(MonitorConfig.defaults());
    int originalFirst = -1;
    int restoredFirst = -1;
    int freshFirst = -1;
    for (int k = 0; k < 10; k++) {
      var w = windows.spans(WARM_UP + k, true);
      originalFirst = first(originalFirst, k, original.observe(w));
      restoredFirst = first(restoredFirst, k, restored.observe(w));
      freshFirst = first(freshFirst, k, fresh.observe(w));
    }
    assertThat(originalFirst).isZero();
    assertThat(restoredFirst).isEqualTo(originalFirst);
    assertThat(freshFirst).as("a monitor without the state is still warming up").isEqualTo(-1);
  }

  private static int first(int found, int k, List<Anomaly> anomalies) {
    boolean flagged = anomalies.stream().anyMatch(a -> a.service().equals(FAULTY));
    return found < 0 && flagged ? k : found;
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(
            "random bytes", (UnaryOperator<byte[]>) b -> new byte[] {1, 2, 3}, "cannot be read"),
        Arguments.of(
            "truncated",
            (UnaryOperator<byte[]>) b -> java.util.Arrays.copyOf(b, b.length / 2),
            "cannot be read"),
        Arguments.of("a flipped bit", (UnaryOperator<byte[]>) b -> flip(b), "checksum"),
        Arguments.of(
            "another format version",
            header("version", 2),
            "format version 2 (written by Vigil " + ModelProvenance.currentCodeVersion()),
        Arguments.of("another feature schema", header("schema", "0badc0de"), "'0badc0de'"),
        Arguments.of(
            "another configuration", header("config", "baselineWindows=30"), "configuration"),
        Arguments.of("another service", header("service", "email"), "service 'email'"),
        Arguments.of(
            "another monitor's state",
            header("format", SignalAnomalyMonitor.STATE_FORMAT),
            "format 'vigil.signal_monitor'"),
        Arguments.of(
            "a garbage state with a valid checksum",
            (UnaryOperator<byte[]>) b -> withState(b, new byte[] {(byte) 0xa1, 0x61, 0x78, 1}),
            "cannot be restored"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void aStateThatDoesNotFitIsRefusedWholeAndTheServiceRelearns(
      String name, UnaryOperator<byte[]> damage, String message) {
    byte[] good = warmedSnapshot();
    // The target has learnt something of its own about the service: a refusal must not leave it.
    ServiceAnomalyMonitor target = warmed(new SyntheticWindows(8), 20);
    assertThat(target.services()).contains(FAULTY);

    assertThatThrownBy(() -> target.restore(FAULTY, damage.apply(good.clone())))
        .isInstanceOf(IncompatibleModelException.class)
        .hasMessageContaining(message)
        .hasMessageContaining("service '" + FAULTY + "'")
        .hasMessageEndingWith("refused, the service relearns");
    assertThat(target.services()).containsExactly("checkout", "email");
    assertThat(target.isWarm(FAULTY)).isFalse();
    target.observe(new SyntheticWindows(8).spans(20, false));
    assertThat(target.services()).contains(FAULTY);
  }

  private static byte[] warmedSnapshot;

  /** The faulty service's snapshot after the warm-up, computed once. */
  private static synchronized byte[] warmedSnapshot() {
    if (warmedSnapshot == null) {
      warmedSnapshot = warmed(new SyntheticWindows(7), WARM_UP).snapshot(FAULTY);
    }
    return warmedSnapshot.clone();
  }

  @Test
  void aMonitorOfAnotherConfigurationRefusesTheState() {
    byte[] state = warmedSnapshot();
    ServiceAnomalyMonitor other =
        new ServiceAnomalyMonitor(MonitorConfig.builder().baselineWindows(30).build());
    assertThatThrownBy(() -> other.restore(FAULTY, state))
        .isInstanceOf(IncompatibleModelException.class)
        .hasMessageContaining("configuration 'baselineWindows=60")
        .hasMessageContaining("this monitor has 'baselineWindows=30");
    assertThat(other.services()).isEmpty();
  }

  @Test
  void aSnapshotOfAnUnknownServiceSaysWhich() {
    assertThatThrownBy(() -> new ServiceAnomalyMonitor(MonitorConfig.defaults()).snapshot("cart"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no state for service 'cart'");
  }

  /** The first format's committed state still loads, and detects a fault at once. */
  @Test
  void versionOneStateStillLoadsAndDetects() {
    ServiceAnomalyMonitor monitor = new ServiceAnomalyMonitor(MonitorConfig.defaults());
    monitor.restore(FAULTY, fixture(FIXTURE));
    assertThat(monitor.services()).containsExactly(FAULTY);
    assertThat(monitor.isWarm(FAULTY)).isTrue();
    SyntheticWindows windows = new SyntheticWindows(9);
    for (int i = WARM_UP; i < WARM_UP + 5; i++) {
      assertThat(monitor.observe(windows.spans(i, false)))
          .extracting(Anomaly::service)
          .doesNotContain(FAULTY);
    }
    assertThat(monitor.observe(windows.spans(WARM_UP + 5, true)))
        .extracting(Anomaly::service)
        .contains(FAULTY);
  }

  static byte[] fixture(String resource) {
    try (InputStream in = ServiceAnomalyMonitorStateTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] flip(byte[] b) {
    b[b.length / 2] ^= 0x10;
    return b;
  }

  static UnaryOperator<byte[]> header(String field, Object value) {
    return b -> {
      try {
        ObjectNode root = (ObjectNode) CBOR.readTree(b);
        if (value instanceof Integer i) {
          root.put(field, i);
        } else {
          root.put(field, (String) value);
        }
        return CBOR.writeValueAsBytes(root);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  static byte[] withState(byte[] b, byte[] state) {
    try {
      ObjectNode root = (ObjectNode) CBOR.readTree(b);
      root.put("state", state);
      CRC32 crc = new CRC32();
      crc.update(state);
      root.put("crc32", crc.getValue());
      return CBOR.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the fixture into {@code src/test/resources} (run by hand only to recreate it, which a
   * new format version must never need: it adds a fixture of its own).
   */
  public static void main(String[] args) throws IOException {
    ServiceAnomalyMonitor monitor = warmed(new SyntheticWindows(7), WARM_UP);
    Path out = Path.of(args[0]).resolve("service_monitor_v1.bin");
    Files.write(out, monitor.snapshot(FAULTY));
  }
}
